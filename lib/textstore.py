"""The documents' cleaned text held compressed in memory, read by doc_id.

At 50,000 documents the text is about 300M characters (900 MB of UTF-8), more than every
other table the app shows put together. The reader, the keyword-in-context view, the search
filter and the views that segment the text again need it, but only a few documents at a
time or one pass over all of them. So the text is kept as zstd-compressed blocks of
``block_size`` documents (a third of the size or less) and a block is decompressed when one
of its documents is asked for; a scan decompresses one block at a time.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

CODEC = "zstd"
LEVEL = 1  # fast to compress; higher levels save little on these texts and cost seconds at load
WORKERS = min(4, os.cpu_count() or 1)  # threads compressing blocks while the text is read
IN_FLIGHT = 64  # blocks read but not yet compressed, at most


@dataclass(frozen=True)
class _Block:
    data: bytes  # the compressed UTF-8 of the block's texts, one after the other
    size: int  # bytes once decompressed
    offsets: np.ndarray  # int64, len(documents) + 1, into the decompressed bytes


class TextStore:
    """Texts of documents by doc_id, compressed in blocks."""

    def __init__(self, batches: Iterable[pa.RecordBatch | pa.Table], *, block_size: int = 64) -> None:
        """Hold the ``doc_id`` and ``text`` columns of ``batches`` (Arrow batches of the documents table)."""
        self._codec = pa.Codec(CODEC, compression_level=LEVEL)
        self._block_size = block_size
        ids: list[str] = []
        pending_ids: list[str] = []
        pending_texts: list[pa.Array] = []
        pending = 0
        # Blocks are compressed in worker threads (the codec releases the GIL) while the next
        # batches are read; at most IN_FLIGHT blocks wait, so the text read ahead stays small.
        made: list[Future[_Block]] = []
        waited = 0
        pool = ThreadPoolExecutor(max_workers=WORKERS)

        def compress(parts: list[pa.Array]) -> None:
            nonlocal waited
            made.append(pool.submit(self._compress, parts))
            while len(made) - waited > IN_FLIGHT:
                made[waited].result()
                waited += 1

        try:
            for batch in batches:
                doc_ids = batch.column("doc_id").to_pylist()
                texts = batch.column("text")
                if isinstance(texts, pa.ChunkedArray):
                    texts = texts.combine_chunks()
                texts = pc.fill_null(texts.cast(pa.large_string()), "")
                start = 0
                while start < len(doc_ids):
                    take = min(block_size - pending, len(doc_ids) - start)
                    pending_ids += ["" if d is None else str(d) for d in doc_ids[start : start + take]]
                    pending_texts.append(texts.slice(start, take))
                    pending += take
                    start += take
                    if pending == block_size:
                        compress(pending_texts)
                        ids += pending_ids
                        pending_ids, pending_texts, pending = [], [], 0
            if pending:
                compress(pending_texts)
                ids += pending_ids
            self._blocks = [block.result() for block in made]
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        self.doc_ids = pd.Index(ids, dtype=object)
        self._lock = threading.Lock()
        self._last: tuple[int, bytes] | None = None  # the block decompressed last

    def _compress(self, parts: Sequence[pa.Array]) -> _Block:
        texts = pa.concat_arrays(list(parts)) if len(parts) > 1 else parts[0]
        every = np.frombuffer(texts.buffers()[1], dtype=np.int64)
        offsets = every[texts.offset : texts.offset + len(texts) + 1].copy()
        start = int(offsets[0])
        offsets -= start
        size = int(offsets[-1])
        data = texts.buffers()[2]
        raw = data.slice(start, size) if data is not None and size else pa.py_buffer(b"")
        return _Block(self._codec.compress(raw, asbytes=True) if size else b"", size, offsets)

    def __len__(self) -> int:
        return len(self.doc_ids)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self.doc_ids

    def nbytes(self) -> int:
        """Bytes held (compressed texts and offsets)."""
        return sum(len(b.data) + b.offsets.nbytes for b in self._blocks)

    def _raw(self, number: int) -> bytes:
        with self._lock:
            if self._last is not None and self._last[0] == number:
                return self._last[1]
        block = self._blocks[number]
        raw = self._codec.decompress(block.data, decompressed_size=block.size, asbytes=True) if block.size else b""
        with self._lock:
            self._last = (number, raw)
        return raw

    def _block_texts(self, number: int) -> pa.LargeStringArray:
        block = self._blocks[number]
        raw = self._raw(number)
        n = len(block.offsets) - 1
        return pa.LargeStringArray.from_buffers(n, pa.py_buffer(block.offsets), pa.py_buffer(raw))

    def text(self, doc_id: str) -> str:
        """The text of ``doc_id`` ("" for an unknown document)."""
        position = self.doc_ids.get_indexer(pd.Index([doc_id]))[0]
        if position < 0:
            return ""
        number, row = divmod(int(position), self._block_size)
        offsets = self._blocks[number].offsets
        return self._raw(number)[offsets[row] : offsets[row + 1]].decode("utf-8")

    def texts(self, doc_ids: Iterable[str]) -> pd.DataFrame:
        """A frame (doc_id, text) of ``doc_ids`` in that order; unknown documents get ""."""
        wanted = pd.Index([str(d) for d in doc_ids], dtype=object)
        positions = self.doc_ids.get_indexer(wanted) if len(wanted) else np.zeros(0, dtype="int64")
        out = np.full(len(wanted), "", dtype=object)
        known = np.flatnonzero(positions >= 0)
        blocks = positions[known] // self._block_size
        for number in np.unique(blocks):
            chosen = known[blocks == number]
            block_texts = self._block_texts(int(number)).to_numpy(zero_copy_only=False)
            out[chosen] = block_texts[positions[chosen] - number * self._block_size]
        return pd.DataFrame(
            {"doc_id": pd.array(list(wanted), dtype="string"), "text": pd.array(list(out), dtype="string")}
        )

    def blocks(self) -> Iterator[tuple[pd.Index, pa.LargeStringArray]]:
        """Every block in turn: its doc_ids and its texts."""
        for number in range(len(self._blocks)):
            start = number * self._block_size
            yield self.doc_ids[start : start + self._block_size], self._block_texts(number)

    def containing(self, needle: str, *, ignore_case: bool = False) -> pd.Index:
        """The doc_ids whose text contains ``needle`` (a plain string, not a pattern)."""
        if not needle:
            return self.doc_ids.copy()
        found: list[pd.Index] = []
        for ids, texts in self.blocks():
            hit = pc.match_substring(texts, needle, ignore_case=ignore_case)
            mask = np.asarray(pc.fill_null(hit, False).to_numpy(zero_copy_only=False), dtype=bool)
            if mask.any():
                found.append(ids[mask])
        return found[0].append(found[1:]) if found else pd.Index([], dtype=object)
