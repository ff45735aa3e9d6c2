"""The editable resource files (dictionary, stop words, themes, boilerplate patterns).

A ``Resources`` value names the folder the files are read from; the bundled ones live in
data/resources/, a workspace may carry its own copies. Each stage asks for the file it
needs through ``path`` and hashes only that file, so a change to one resource invalidates
only the stages that read it.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
BUNDLED = DATA / "resources"

# file name -> the pipeline stages that read it
RESOURCE_FILES: dict[str, tuple[str, ...]] = {
    "userdict.txt": ("terms", "keywords", "entities"),
    "stopwords.txt": ("terms", "keywords"),
    "themes.txt": ("themes",),
    "boilerplate.txt": ("clean",),
    "org_types.txt": ("entities",),
    "surnames.txt": ("entities",),
    "person_titles.txt": ("entities",),
    "person_markers.txt": ("entities",),
    "person_boundaries.txt": ("entities",),
    "known_persons.txt": ("entities",),
    "person_not_names.txt": ("entities",),
    "slogans.txt": ("entities",),
    "slogan_exclusions.txt": ("entities",),
}


@dataclass(frozen=True)
class Resources:
    """Where the editable resource files are read from."""

    directory: Path = BUNDLED

    def path(self, name: str) -> Path:
        """The file ``name`` in this folder, else the bundled copy."""
        if name not in RESOURCE_FILES:
            raise KeyError(f"unknown resource file: {name}")
        own = self.directory / name
        return own if own.exists() else BUNDLED / name

    def digest(self, name: str) -> str:
        """Content hash of resource ``name`` (16 hex digits)."""
        return hashlib.sha256(self.path(name).read_bytes()).hexdigest()[:16]

    def quick_digest(self, name: str) -> str:
        """``digest``, re-read only when the file's path, inode, size or modification time changes.

        For calls made once per document, where re-hashing the file each time would cost more
        than the work itself. Replacing a file (write a copy, rename it over) is always noticed.
        """
        path = self.path(name)
        stat = path.stat()
        return _digest_of(str(path), stat.st_ino, stat.st_mtime_ns, stat.st_size)

    def digests(self) -> dict[str, str]:
        """Content hash of every resource file."""
        return {name: self.digest(name) for name in RESOURCE_FILES}

    def lines(self, name: str) -> list[str]:
        """Non-empty, non-comment lines of resource ``name``."""
        return read_lines(self.path(name))


@lru_cache(maxsize=64)
def _digest_of(path: str, inode: int, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def read_lines(path: Path) -> list[str]:
    """Non-empty lines of a UTF-8 text file, with ``#`` comment lines dropped."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


def stages_affected(changed: set[str]) -> set[str]:
    """The pipeline stages that read any of the ``changed`` resource files."""
    return {stage for name in changed for stage in RESOURCE_FILES[name]}


def bundle(resources: Resources) -> dict[str, bytes]:
    """The contents of every resource file, to ship to machines that lack the folder."""
    return {name: resources.path(name).read_bytes() for name in RESOURCE_FILES}


def from_bundle(contents: dict[str, bytes]) -> Resources:
    """A ``Resources`` reading ``contents`` (written once per process to a private folder)."""
    key = hashlib.sha256(b"".join(hashlib.sha256(contents[n]).digest() for n in sorted(contents))).hexdigest()[:16]
    folder = Path(tempfile.gettempdir()) / f"zhengxie-resources-{os.getpid()}-{key}"
    if not folder.exists():
        staging = Path(tempfile.mkdtemp(prefix=folder.name + ".", dir=folder.parent))
        for name, data in contents.items():
            (staging / name).write_bytes(data)
        staging.rename(folder)
    return Resources(folder)
