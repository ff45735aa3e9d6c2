"""Keywords: initial version producing no rows."""

from __future__ import annotations

import pandas as pd

from lib import schema
from lib.resources import Resources


def document_keywords(doc_id: str, text: str, *, resources: Resources | None = None) -> pd.DataFrame:
    """``keywords`` rows for one document."""
    return schema.empty("keywords")
