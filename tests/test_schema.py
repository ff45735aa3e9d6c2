import pandas as pd
import pytest

from lib import schema


@pytest.mark.parametrize("name", list(schema.TABLES))
def test_empty_tables_have_declared_columns(name: str) -> None:
    frame = schema.empty(name)
    assert list(frame.columns) == list(schema.TABLES[name])
    assert len(frame) == 0
    schema.check(frame, name)


def test_conform_fills_missing_and_drops_extra() -> None:
    frame = schema.conform(pd.DataFrame({"doc_id": ["a#01"], "term": ["界别党支部"], "extra": [1]}), "terms")
    assert list(frame.columns) == ["doc_id", "term", "pos", "count"]
    assert frame.loc[0, "pos"] == ""
    assert frame["count"].isna().all()


def test_check_rejects_wrong_columns() -> None:
    with pytest.raises(ValueError, match="columns"):
        schema.check(pd.DataFrame({"doc_id": ["x"]}), "terms")
