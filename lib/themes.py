"""Themes: initial version producing no rows."""

from __future__ import annotations

import pandas as pd

from lib import schema
from lib.resources import Resources


def document_themes(doc_id: str, text: str, *, resources: Resources | None = None) -> pd.DataFrame:
    """``themes`` rows for one document."""
    return schema.empty("themes")
