"""Statistics: initial version producing no rows."""

from __future__ import annotations

import pandas as pd

from lib import schema


def extract_statistics(doc_id: str, text: str) -> pd.DataFrame:
    """``statistics`` rows for one document."""
    return schema.empty("statistics")
