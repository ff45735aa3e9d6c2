"""Links from a row of a view to the document it comes from (the document reader page)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from urllib.parse import urlencode

DOCUMENTS_PAGE = "documents"
DOC_PARAM = "doc"


def document_url(doc_id: str, *, params: Mapping[str, str | Sequence[str]], page: str = DOCUMENTS_PAGE) -> str:
    """A relative URL that opens ``doc_id`` on the document reader with ``params`` (the filters).

    ``doc_id`` is percent-encoded (it holds ``#``), list values repeat their key.
    """
    query: list[tuple[str, str]] = [(DOC_PARAM, doc_id)]
    for key, value in params.items():
        if key == DOC_PARAM:
            continue
        query += [(key, value)] if isinstance(value, str) else [(key, str(v)) for v in value]
    return f"{page}?{urlencode(query)}"


def document_urls(
    doc_ids: Iterable[str], *, params: Mapping[str, str | Sequence[str]], page: str = DOCUMENTS_PAGE
) -> list[str]:
    """``document_url`` of each id (computed once per distinct id)."""
    ids = [str(d) for d in doc_ids]
    made = {d: document_url(d, params=params, page=page) for d in dict.fromkeys(ids)}
    return [made[d] for d in ids]
