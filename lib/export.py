"""Downloads: tables as CSV that Excel opens with the Chinese intact."""

from __future__ import annotations

import pandas as pd


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """``frame`` as UTF-8 CSV with a byte-order mark, without the index."""
    return frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
