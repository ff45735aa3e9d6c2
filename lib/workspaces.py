"""Workspaces: a person's own corpora, each in its own folder with its tables and resources.

A workspace ``NAME`` lives in ``data/workspaces/NAME/``:

- ``input/``: the files given to it (uploaded one by one or unpacked from zip archives);
- ``resources/``: its own copies of the editable resource files (user dictionary, stop
  words, theme lexicon, boilerplate patterns), checked by ``lib.validate`` before saving;
- ``tables/``: the built tables (``lib.build``), reused file by file on the next build;
- ``upload_report.parquet``: the ingest report of the last upload.

Adding files is all or nothing: the new input folder and its tables are prepared in a
hidden staging folder inside the workspace and swapped in only when the build succeeded,
so a failed or interrupted upload leaves the inputs and tables exactly as they were.
Nothing is ever written outside the workspace folder: names from uploads and archives are
checked, and archives are read member by member with bounded sizes (zip bombs, ``../``,
absolute paths and links are refused with a reason).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import pandas as pd

from lib import ingest, schema, store
from lib.resources import BUNDLED, DATA, Resources
from lib.validate import EDITABLE, LineError, resource_errors

if TYPE_CHECKING:  # the build pipeline is imported only when a workspace is built
    from lib import build as builder

ROOT = DATA / "workspaces"
ROOT_ENV = "ZHENGXIE_WORKSPACES"  # another folder for the workspaces (tests, a data disk)
INPUT, RESOURCES, TABLES = "input", "resources", "tables"
UPLOAD_REPORT = "upload_report.parquet"

MB = 1 << 20
MAX_FILE_BYTES = 50 * MB  # one file (or one member of an archive)
MAX_TOTAL_BYTES = 500 * MB  # everything one upload unpacks to
MAX_FILES = 10_000  # files in one upload, archive members included

_NAME = re.compile(r"^[0-9A-Za-z\u4e00-\u9fff][0-9A-Za-z_\-\u4e00-\u9fff]{0,63}$")
_DRIVE = re.compile(r"^[A-Za-z]:")
_CHUNK = 1 << 16

Source = bytes | Path  # an upload's bytes, or a file on disk
Progress = Callable[[float, str], object]  # (fraction done, what is happening)


@dataclass(frozen=True)
class Workspace:
    """One corpus of a person's own files."""

    name: str
    folder: Path

    @property
    def input(self) -> Path:
        return self.folder / INPUT

    @property
    def resource_dir(self) -> Path:
        return self.folder / RESOURCES

    @property
    def tables(self) -> Path:
        return self.folder / TABLES

    def resources(self) -> Resources:
        """The resource files the builds of this workspace read."""
        return Resources(self.resource_dir)

    def is_built(self) -> bool:
        return store.is_built(self.tables)

    def input_names(self) -> list[str]:
        """Relative names of the files in ``input/``, sorted."""
        if not self.input.is_dir():
            return []
        return sorted(p.relative_to(self.input).as_posix() for p in ingest.discover([self.input]))


# --- names and folders ---------------------------------------------------------------------


def default_root() -> Path:
    """The folder of the workspaces: $ZHENGXIE_WORKSPACES, else data/workspaces."""
    env = os.environ.get(ROOT_ENV, "").strip()
    return Path(env).expanduser().resolve() if env else ROOT


def name_error(name: str) -> str:
    """Why ``name`` cannot name a workspace ("" when it can)."""
    if not name:
        return "the name is empty"
    if not _NAME.match(name):
        return (
            "a name has 1 to 64 letters, digits, Chinese characters, '-' or '_' "
            "and starts with a letter, digit or Chinese character"
        )
    return ""


def list_workspaces(*, root: Path | None = None) -> list[str]:
    """Names of the workspaces under ``root``, sorted."""
    root = root or default_root()
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not name_error(p.name))


def open_workspace(name: str, *, root: Path | None = None) -> Workspace:
    """The existing workspace ``name``; ValueError for a bad name, KeyError if absent."""
    error = name_error(name)
    if error:
        raise ValueError(f"bad workspace name {name!r}: {error}")
    folder = (root or default_root()) / name
    if not folder.is_dir():
        raise KeyError(f"no workspace named {name!r}")
    return Workspace(name, folder)


def create_workspace(name: str, *, root: Path | None = None) -> Workspace:
    """A new workspace ``name`` with an empty input folder and copies of the bundled resources.

    ValueError for a bad name, FileExistsError when the workspace exists.
    """
    error = name_error(name)
    if error:
        raise ValueError(f"bad workspace name {name!r}: {error}")
    root = root or default_root()
    folder = root / name
    if folder.exists():
        raise FileExistsError(f"a workspace named {name!r} already exists")
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}.new-", dir=root))
    try:
        staging.chmod(0o755)
        (staging / INPUT).mkdir()
        (staging / RESOURCES).mkdir()
        for resource in EDITABLE:
            shutil.copyfile(BUNDLED / resource, staging / RESOURCES / resource)
        staging.rename(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Workspace(name, folder)


def open_or_create(name: str, *, root: Path | None = None) -> Workspace:
    try:
        return open_workspace(name, root=root)
    except KeyError:
        return create_workspace(name, root=root)


# --- editable resources ------------------------------------------------------------------------


def resource_text(workspace: Workspace, name: str) -> str:
    """The text of the workspace's resource file ``name`` (the bundled one if it has none)."""
    if name not in EDITABLE:
        raise KeyError(f"not an editable resource file: {name}")
    return workspace.resources().path(name).read_text(encoding="utf-8")


def save_resource(workspace: Workspace, name: str, text: str) -> list[LineError]:
    """Check ``text`` and save it as resource ``name`` when it has no error.

    Returns the errors (line number, message); when there is any, nothing is written.
    """
    errors = resource_errors(name, text)
    if errors:
        return errors
    workspace.resource_dir.mkdir(parents=True, exist_ok=True)
    _write_atomic(workspace.resource_dir / name, text.encode("utf-8"))
    return []


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- taking in files ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    """Bounds on what one upload may hold (``None``: no bound)."""

    max_file_bytes: int | None = MAX_FILE_BYTES
    max_total_bytes: int | None = MAX_TOTAL_BYTES
    max_files: int | None = MAX_FILES


def size_label(n: int) -> str:
    """A byte count as a person reads it (12 bytes, 3.5 KB, 50 MB)."""
    if n < 1024:
        return f"{n} bytes"
    for unit, size in (("GB", 1 << 30), ("MB", MB), ("KB", 1024)):
        if n >= size:
            value = n / size
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} bytes"


@dataclass
class _Accepted:
    name: str
    data: bytes
    sha256: str


class _Intake:
    """The checks an upload's files go through, with one report row per file."""

    def __init__(self, existing: dict[str, str], limits: Limits) -> None:
        self.limits = limits
        self.existing = existing  # name -> sha256 of the files already in the workspace
        self.existing_hashes = {digest: name for name, digest in existing.items()}
        self.accepted: dict[str, _Accepted] = {}
        self.hashes: dict[str, str] = {}
        self.rows: list[dict[str, Any]] = []
        self.total = 0
        self.count = 0

    def note(self, name: str, status: str, reason: str) -> None:
        self.rows.append({"source_path": name, "status": status, "reason": reason, "n_documents": 0})

    def budget(self) -> int | None:
        """Bytes one more file may have: the per-file limit and what is left of the total."""
        caps = [c for c in (self.limits.max_file_bytes, self._left()) if c is not None]
        return min(caps) if caps else None

    def _left(self) -> int | None:
        total = self.limits.max_total_bytes
        return None if total is None else max(0, total - self.total)

    def too_big(self, name: str, size: int) -> bool:
        """Note and return True when a file of ``size`` bytes breaks a limit."""
        limit = self.limits.max_file_bytes
        if limit is not None and size > limit:
            self.note(name, "skipped", f"file too large: {size_label(size)}, the limit is {size_label(limit)} per file")
            return True
        left = self._left()
        if left is not None and size > left:
            total = self.limits.max_total_bytes or 0
            self.note(name, "skipped", f"the upload would exceed its total limit of {size_label(total)}")
            return True
        return False

    def add(self, name: str, data: bytes) -> None:
        """Take one file's bytes under the (already checked) relative ``name``."""
        if self.limits.max_files is not None and self.count >= self.limits.max_files:
            self.note(name, "skipped", f"too many files: the limit is {self.limits.max_files:,} files per upload")
            return
        if self.too_big(name, len(data)):
            return
        digest = hashlib.sha256(data).hexdigest()
        if name in self.accepted:
            if self.accepted[name].sha256 == digest:
                self.note(name, "skipped", "the same file was given twice; it is kept once")
            else:
                self.note(name, "skipped", f"another file in this upload is also named {name!r}; rename one of them")
            return
        if digest in self.hashes:
            self.note(name, "skipped", f"same content as {self.hashes[digest]!r} in this upload; it is kept once")
            return
        if self.existing.get(name) == digest:
            self.note(name, "skipped", "already in this corpus, unchanged")
            return
        other = self.existing_hashes.get(digest)
        if other is not None and other != name:
            self.note(name, "skipped", f"same content as {other!r}, already in this corpus")
            return
        self.accepted[name] = _Accepted(name, data, digest)
        self.hashes[digest] = name
        self.total += len(data)
        self.count += 1


def _clean_name(raw: str) -> tuple[str, str]:
    """(relative posix name, "") for a safe file or archive member name, or ("", why it is refused)."""
    name = raw.replace("\\", "/")
    if name.startswith("/") or _DRIVE.match(name):
        return "", "absolute path: refused (nothing is written outside the corpus)"
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        return "", "path leads out of its folder (../): refused"
    if not parts:
        return "", "no file name"
    if any(p.startswith(".") or p == "__MACOSX" for p in parts):
        return "", "hidden or system file (name starts with a dot): ignored"
    if any(len(p.encode("utf-8")) > 255 or "\x00" in p for p in parts):
        return "", "file name too long or invalid"
    return "/".join(parts), ""


def _is_archive(data: bytes, name: str) -> bool:
    """A zip archive of files (not a .docx/.xlsx/... that is a zip inside)."""
    if not data.startswith(b"PK\x03\x04") and not (name.lower().endswith(".zip") and data.startswith(b"PK")):
        return False
    try:
        with zipfile.ZipFile(_bytes_io(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return name.lower().endswith(".zip")
    office = ("word/document.xml", "xl/workbook.xml", "ppt/presentation.xml", "content.xml")
    return not any(marker in names for marker in office)


def _bytes_io(data: bytes) -> IO[bytes]:
    import io

    return io.BytesIO(data)


def _unpack(intake: _Intake, label: str, data: bytes) -> None:
    """Take the members of the zip archive ``label`` one by one, each checked and bounded."""
    try:
        archive = zipfile.ZipFile(_bytes_io(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        intake.note(label, "error", "damaged zip archive: it cannot be opened")
        return
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        limit_files, limit_total = intake.limits.max_files, intake.limits.max_total_bytes
        if limit_files is not None and len(members) > limit_files:
            intake.note(
                label,
                "error",
                f"archive refused: {len(members):,} files, the limit is {limit_files:,} files per upload",
            )
            return
        declared = sum(m.file_size for m in members)
        if limit_total is not None and declared > limit_total:
            intake.note(
                label,
                "error",
                f"archive refused: it unpacks to {size_label(declared)}, "
                f"the limit is {size_label(limit_total)} per upload (zip bomb?)",
            )
            return
        for member in members:
            shown = f"{label}/{member.filename}"
            name, why = _clean_name(member.filename)
            if why:
                intake.note(shown, "skipped", why)
                continue
            if stat.S_ISLNK(member.external_attr >> 16):
                intake.note(shown, "skipped", "symbolic link inside the archive: refused")
                continue
            if member.flag_bits & 0x1:
                intake.note(shown, "skipped", "encrypted member: needs a password")
                continue
            if intake.too_big(name, member.file_size):
                continue
            content = _read_bounded(archive, member, intake.budget())
            if content is None:
                bound = intake.budget() or 0
                intake.note(name, "skipped", f"unpacks to more than its limit of {size_label(bound)}: refused")
            elif isinstance(content, str):
                intake.note(name, "error", content)
            elif _is_archive(content, name):
                intake.note(name, "skipped", "archive inside an archive: unpack it and give the files inside")
            else:
                intake.add(name, content)


def _read_bounded(archive: zipfile.ZipFile, member: zipfile.ZipInfo, bound: int | None) -> bytes | str | None:
    """A member's bytes; None when it unpacks to more than ``bound``; a message if damaged."""
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(member) as handle:
            while chunk := handle.read(_CHUNK):
                size += len(chunk)
                if bound is not None and size > bound:
                    return None
                chunks.append(chunk)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as exc:
        return f"damaged archive member: {type(exc).__name__}"
    return b"".join(chunks)


def intake(
    uploads: Iterable[tuple[str, Source]], *, existing: dict[str, str] | None = None, limits: Limits = Limits()
) -> tuple[dict[str, bytes], pd.DataFrame]:
    """The files an upload adds (relative name -> bytes) and a report row for each refusal.

    ``uploads`` are (file name, bytes or path); zip archives are unpacked. ``existing``
    maps the names already in the corpus to their SHA-256, to spot repeats.
    """
    checks = _Intake(existing or {}, limits)
    for raw_name, source in uploads:
        name, why = _clean_name(raw_name)
        if why:
            checks.note(raw_name, "skipped", why)
            continue
        size = len(source) if isinstance(source, bytes) else source.stat().st_size
        zipped = (source[:2] if isinstance(source, bytes) else _head(source)) == b"PK"
        if zipped and limits.max_total_bytes is not None and size > limits.max_total_bytes:
            limit = size_label(limits.max_total_bytes)
            checks.note(name, "skipped", f"archive too large: {size_label(size)}, the limit is {limit} per upload")
            continue
        if not zipped and checks.too_big(name, size):
            continue
        data = source if isinstance(source, bytes) else source.read_bytes()
        if zipped and _is_archive(data, name):
            _unpack(checks, name, data)
        else:
            checks.add(name, data)
    files = {a.name: a.data for a in checks.accepted.values()}
    return files, schema.from_records(checks.rows, "ingest_report")


def _head(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(2)


def _hashes(folder: Path) -> dict[str, str]:
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in ingest.discover([folder])
    }


def _link_tree(src: Path, dst: Path) -> None:
    """A copy of folder ``src`` made of hard links (files are never changed in place)."""

    def link(a: str, b: str) -> None:
        try:
            os.link(a, b)
        except OSError:
            shutil.copy2(a, b)

    shutil.copytree(src, dst, copy_function=link)


def add_files(
    workspace: Workspace,
    uploads: Iterable[tuple[str, Source]],
    *,
    limits: Limits = Limits(),
    workers: int | None = None,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """Add ``uploads`` to the workspace, rebuild its tables and return the ingest report.

    The report has a row for every file given: the refused ones with the reason, the
    others with the build's status, reason and number of documents. The new inputs and
    tables replace the old ones only once the build has succeeded; on any error the
    workspace is left as it was and the error is raised.
    """
    tell = progress or (lambda fraction, message: None)
    tell(0.0, "checking files")
    with _locked(workspace):
        return _add_files(workspace, uploads, limits=limits, workers=workers, tell=tell)


@contextlib.contextmanager
def _locked(workspace: Workspace) -> Iterator[None]:
    """Hold the workspace's lock: one upload or rebuild at a time (others wait)."""
    with (workspace.folder / ".lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _add_files(
    workspace: Workspace, uploads: Iterable[tuple[str, Source]], *, limits: Limits, workers: int | None, tell: Progress
) -> pd.DataFrame:
    files, refused = intake(uploads, existing=_hashes(workspace.input), limits=limits)
    if not files and workspace.is_built():
        _save_report(workspace, refused)
        tell(1.0, "done")
        return refused
    staging = Path(tempfile.mkdtemp(prefix=".upload-", dir=workspace.folder))
    try:
        new_input, new_tables = staging / INPUT, staging / TABLES
        if workspace.input.is_dir():
            _link_tree(workspace.input, new_input)
        else:
            new_input.mkdir()
        if workspace.is_built():
            _link_tree(workspace.tables, new_tables)
        for name, data in files.items():
            target = new_input / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.unlink(missing_ok=True)  # a hard link to the old version: replace, never write through
            target.write_bytes(data)
        tell(0.1, "building tables")
        from lib import build as builder

        builder.build(
            [new_input],
            out=new_tables,
            resources=workspace.resources(),
            workers=workers,
            progress=_scaled(tell, 0.1, 0.95),
        )
        report = _report(refused, store.read_table(new_tables, "ingest_report"), set(files))
        old_input = staging / "old-input"
        _swap(new_input, workspace.input, old_input)
        try:
            _swap(new_tables, workspace.tables, staging / "old-tables")
        except BaseException:  # keep inputs and tables together: the old inputs go back
            workspace.input.rename(staging / "new-input")
            if old_input.exists():
                old_input.rename(workspace.input)
            raise
        _save_report(workspace, report)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    tell(1.0, "done")
    return report


def _scaled(tell: Progress, lo: float, hi: float) -> Callable[[int, int], object]:
    def step(done: int, total: int) -> None:
        tell(lo + (hi - lo) * done / max(1, total), f"building tables: {done} of {total} tasks")

    return step


def _report(refused: pd.DataFrame, built: pd.DataFrame, added: set[str]) -> pd.DataFrame:
    mine = built[built["source_path"].isin(added)]
    return schema.conform(pd.concat([refused, mine], ignore_index=True), "ingest_report")


def _swap(new: Path, current: Path, old: Path) -> None:
    """Put folder ``new`` in the place of ``current`` (moved to ``old``)."""
    if current.exists():
        current.rename(old)
    try:
        new.rename(current)
    except BaseException:
        if old.exists():
            old.rename(current)
        raise


def _save_report(workspace: Workspace, report: pd.DataFrame) -> None:
    path = workspace.folder / UPLOAD_REPORT
    tmp = path.with_name(f".{path.name}.tmp")
    schema.conform(report, "ingest_report").to_parquet(tmp, index=False)
    os.replace(tmp, path)


def last_report(workspace: Workspace) -> pd.DataFrame:
    """The ingest report of the workspace's last upload (empty if none)."""
    path = workspace.folder / UPLOAD_REPORT
    if not path.exists():
        return schema.empty("ingest_report")
    return schema.conform(pd.read_parquet(path), "ingest_report")


def rebuild(
    workspace: Workspace, *, workers: int | None = None, progress: Progress | None = None
) -> builder.BuildSummary:
    """Build the workspace's tables again from its inputs with its current resources.

    Only what changed is recomputed; the tables are replaced atomically when done.
    """
    tell = progress or (lambda fraction, message: None)
    tell(0.0, "building tables")
    with _locked(workspace):
        workspace.input.mkdir(exist_ok=True)
        from lib import build as builder

        summary = builder.build(
            [workspace.input],
            out=workspace.tables,
            resources=workspace.resources(),
            workers=workers,
            progress=_scaled(tell, 0.0, 0.95),
        )
    tell(1.0, "done")
    return summary


def folder_sources(folder: Path) -> Iterator[tuple[str, Source]]:
    """(name, path) of every file under ``folder``, for ``add_files`` from the command line.

    Names keep their sub-folders (``2019/a.txt``), so files of the same name in different
    folders stay apart.
    """
    for path in ingest.discover([folder]):
        yield (path.relative_to(folder).as_posix() if folder.is_dir() else path.name), path
