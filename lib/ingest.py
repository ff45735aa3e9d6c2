"""Ingest: find input files and extract their text.

The format is read from the bytes, never from the file name: PDF (text layer), Word
.docx (paragraphs and tables), HTML (visible text), and plain text or Markdown in UTF-8
(with or without BOM), GB18030/GBK or UTF-16/32 (with or without BOM). Whatever the bytes,
``extract_text`` returns a status (ok / skipped / error) and a reason a person understands;
it never raises.
"""

from __future__ import annotations

import io
import logging
import os
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

HAN = "\u4e00-\u9fff\u3400-\u4dbf"


@dataclass(frozen=True)
class Extracted:
    text: str
    status: str  # ok / skipped / error
    reason: str = ""


# --- discovering files ---------------------------------------------------------------------


def discover(inputs: Sequence[Path]) -> list[Path]:
    """Every file under ``inputs`` (folders recursively), sorted; FileNotFoundError if missing.

    Inside folders, hidden files and folders (``.git``, ``.DS_Store``) are left out; a file
    named explicitly is always kept. A file reached twice is listed once.
    """
    out: list[Path] = []
    seen: set[Path] = set()
    for p in inputs:
        if p.is_dir():
            found = []
            for root, dirs, files in os.walk(p):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                found += [Path(root) / f for f in files if not f.startswith(".")]
            candidates = sorted(found)
        elif p.is_file():
            candidates = [p]
        else:
            raise FileNotFoundError(p)
        for q in candidates:
            key = q.resolve()
            if key not in seen:
                seen.add(key)
                out.append(q)
    return out


# --- extracting text -----------------------------------------------------------------------

# magic numbers of common binary formats -> what a person calls them
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"BM", "BMP image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"\x7fELF", "executable"),
    (b"MZ", "Windows executable"),
    (b"ID3", "MP3 audio"),
    (b"OggS", "Ogg audio/video"),
    (b"fLaC", "FLAC audio"),
    (b"\x1aE\xdf\xa3", "Matroska/WebM video"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"PAR1", "Parquet table"),
)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_HTML_PAGE = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head)[\s>]|<(?:html|body)[\s>]",
    re.IGNORECASE | re.DOTALL,
)
_HTML_FRAGMENT = re.compile(
    r"^\s*<(?:div|p|table|article|section|h[1-6]|meta|title|span|a|ul|ol|br)[\s>/]", re.IGNORECASE
)
_MARKDOWN_HEADING = re.compile(r"^#{1,6} ", re.MULTILINE)
# characters a real text is made of: Chinese, ASCII, common punctuation and symbols
_PLAUSIBLE = re.compile(
    f"[{HAN}\\u0020-\\u007e\\t\\n\\r\\u00a0-\\u017f\\u2000-\\u206f\\u3000-\\u303f\\uff00-\\uffef\\u2100-\\u25ff\\u0391-\\u03c9\\u0401-\\u0451]"
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_HAN_CHAR = re.compile(f"[{HAN}]")
_SNIFF = 1 << 16  # bytes looked at to guess an encoding of a large file


def extract_text(data: bytes, *, name: str) -> Extracted:
    """The text of one file's bytes, or a status and reason why there is none.

    The format is read from the bytes; ``name`` (the file's name) never decides it.
    """
    try:
        return _extract(data, name=name)
    except Exception as exc:  # a broken file must never stop a build
        return Extracted("", "error", f"could not read the file ({type(exc).__name__}: {exc})"[:300])


def _extract(data: bytes, *, name: str) -> Extracted:
    if not data:
        return Extracted("", "skipped", "empty file")
    head = data[:8]
    if data[:1024].lstrip().startswith(b"%PDF-") or data.startswith(b"%PDF"):
        return _pdf_text(data)
    if head.startswith(b"PK\x03\x04"):
        return _zip_text(data)
    if head.startswith(_OLE2):
        return Extracted("", "skipped", "old binary Office file (.doc/.xls/.ppt): save it as .docx to include it")
    for magic, what in _MAGIC:
        if data.startswith(magic) and (len(magic) > 3 or not _looks_textual(data)):
            return Extracted("", "skipped", f"binary file ({what}), not a text")
    if data.startswith(b"{\\rtf"):
        return Extracted("", "skipped", "RTF document: not supported, save it as .docx to include it")
    decoded = decode_text(data)
    if isinstance(decoded, Extracted):
        return decoded
    text, note = decoded
    if _is_html(text):
        text = html_text(text)
    return _checked(text, note)


def _checked(text: str, note: str = "") -> Extracted:
    """An ok result, or skipped when there is no text; notes kept in the reason."""
    if not text.strip():
        return Extracted("", "skipped", "no text (empty or only white space)")
    notes = [note] if note else []
    if not _HAN_CHAR.search(text):
        notes.append("no Chinese characters (kept)")
    return Extracted(text, "ok", "; ".join(notes))


def _looks_textual(data: bytes) -> bool:
    sample = data[:4096]
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 4:
            return False
    return not _CONTROL.search(sample.decode("utf-8", "ignore"))


# --- plain text -----------------------------------------------------------------------------


def decode_text(data: bytes) -> tuple[str, str] | Extracted:
    """(text, note) for bytes of a text file, or the reason they are not one."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), ""
            except UnicodeDecodeError:
                return Extracted("", "error", f"undecodable text: starts like {encoding.upper()} but is not")
    nuls = data.count(b"\x00")
    if nuls:
        utf16 = _best_utf16(data)
        if utf16 is not None:
            return utf16, ""
        if nuls * 100 > len(data) or _binary_share(data) > 0.05:
            return Extracted("", "skipped", "binary file (not a text)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if _binary_share(data) > 0.05:
            return Extracted("", "skipped", "binary file (not a text)")
        return text, ""
    candidates = []
    for encoding in ("gb18030", "utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        candidates.append((_plausibility(text), text))
    plausible = [(_han_share(text), text) for score, text in candidates if score >= 0.98]
    if plausible:
        return max(plausible)[1], ""
    # mostly UTF-8 with a few broken bytes (a truncated or patched file)
    text = data.decode("utf-8", "replace")
    broken = text.count("\ufffd")
    if broken <= max(3, len(text) // 1000):
        return text.replace("\ufffd", ""), f"{broken} undecodable byte sequence(s) dropped"
    detected = _detected(data)
    if detected is not None:
        return detected
    if _binary_share(data) > 0.05:
        return Extracted("", "skipped", "binary file (not a text)")
    return Extracted("", "error", "undecodable text: not UTF-8, GB18030/GBK or UTF-16")


def _best_utf16(data: bytes) -> str | None:
    """The UTF-16/32 reading of BOM-less bytes with NULs, if one is plainly right."""
    best: tuple[float, str] | None = None
    for encoding in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            continue
        score = _plausibility(text)
        if best is None or score > best[0]:
            best = (score, text)
    if best is not None and best[0] >= 0.98:
        return best[1]
    return None


def _plausibility(text: str) -> float:
    """Share of characters that real Chinese or Latin text is made of."""
    sample = text[:_SNIFF]
    if not sample:
        return 0.0
    return len(_PLAUSIBLE.findall(sample)) / len(sample)


def _han_share(text: str) -> float:
    sample = text[:_SNIFF]
    return len(_HAN_CHAR.findall(sample)) / max(1, len(sample))


_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 32), 127])


def _binary_share(data: bytes) -> float:
    """Share of control bytes (other than tab and line breaks) among the first bytes."""
    sample = data[:_SNIFF]
    return (len(sample) - len(sample.translate(None, _CONTROL_BYTES))) / max(1, len(sample))


def _detected(data: bytes) -> tuple[str, str] | None:
    """A charset detector's reading of a sample, for encodings tried above in vain."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:_SNIFF]).best()
    if best is None or best.encoding in ("utf_8", "gb18030", "utf_16_le", "utf_16_be"):
        return None
    try:
        text = data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    if _plausibility(text) < 0.98:
        return None
    return text, f"decoded as {best.encoding}"


# --- HTML -------------------------------------------------------------------------------------


def _is_html(text: str) -> bool:
    """An HTML page, or a fragment of one that is not Markdown with some tags in it."""
    head = text[:2048]
    if "<" not in head:
        return False
    if _HTML_PAGE.search(head) or "</html>" in text[-4096:].lower():
        return True
    return bool(_HTML_FRAGMENT.match(head)) and not _MARKDOWN_HEADING.search(text[:4096])


# elements that are never visible text or are page chrome
_DROP = ("script", "style", "noscript", "template", "nav", "aside", "form", "iframe", "svg", "button", "select", "head")
_BLOCK = frozenset(
    [
        "address",
        "article",
        "blockquote",
        "center",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "ul",
        "caption",
        "title",
    ]
)
_CHROME = re.compile(
    r"(?:^|[-_\s])(?:nav|navbar|menu|breadcrumbs?|crumbs?|share|sharing|toolbar|sidebar|footer)(?:$|[-_\s\d])", re.I
)
_SPACES = re.compile(r"\s+")


def html_text(markup: str) -> str:
    """Visible text of an HTML page: block elements on lines of their own, chrome removed."""
    from bs4 import BeautifulSoup, Comment, Declaration, Doctype, ProcessingInstruction, Tag

    soup = BeautifulSoup(markup, "lxml")
    for element in soup.find_all(_DROP):
        element.decompose()
    for comment in soup.find_all(
        string=lambda s: isinstance(s, (Comment, Declaration, Doctype, ProcessingInstruction))
    ):
        comment.extract()
    for element in soup.find_all(["header", "footer"]):
        if element.find_parent(["article", "main"]) is None:
            element.decompose()
    for element in soup.find_all(True):
        if not isinstance(element, Tag) or element.decomposed:
            continue
        if element.has_attr("hidden") or "display:none" in str(element.get("style", "")).replace(" ", ""):
            element.decompose()
            continue
        marks = " ".join([str(element.get("id") or ""), *(element.get("class") or [])])
        if marks.strip() and _CHROME.search(marks) and len(element.get_text()) < 300:
            element.decompose()
    for text_node in soup.find_all(string=True):
        if text_node.find_parent(["pre", "textarea"]) is None:
            text_node.replace_with(_SPACES.sub(" ", str(text_node)))
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for cell in soup.find_all(["td", "th"]):
        cell.insert_after("\t")
    for element in soup.find_all(_BLOCK):
        element.insert_before("\n")
        element.insert_after("\n")
    lines = (line.strip(" \t") for line in soup.get_text().split("\n"))
    return "\n".join(line for line in lines if line)


# --- Word .docx -------------------------------------------------------------------------------


def _zip_text(data: bytes) -> Extracted:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return Extracted("", "error", "damaged ZIP container (a broken .docx?)")
    if "word/document.xml" in names:
        return _docx_text(data)
    if "xl/workbook.xml" in names:
        return Extracted("", "skipped", "Excel workbook (.xlsx): not a text format")
    if "ppt/presentation.xml" in names:
        return Extracted("", "skipped", "PowerPoint file (.pptx): not supported, save it as PDF")
    if "content.xml" in names:
        return Extracted("", "skipped", "OpenDocument file (.odt): save it as .docx to include it")
    return Extracted("", "skipped", "ZIP archive: unpack it and give the files inside")


def _docx_text(data: bytes) -> Extracted:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:
        return Extracted("", "error", "damaged Word file: it cannot be parsed")
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, document).text)
        elif tag == "tbl":
            lines += _table_rows(Table(block, document))
    return _checked("\n".join(lines))


def _table_rows(table: object) -> list[str]:
    rows = []
    for row in getattr(table, "rows", []):
        cells: list[str] = []
        last = None
        for cell in row.cells:
            if cell._tc is last:  # a merged cell is listed once per grid column
                continue
            last = cell._tc
            cells.append(_SPACES.sub(" ", cell.text).strip())
        if any(cells):
            rows.append("\t".join(cells))
    return rows


# --- PDF ----------------------------------------------------------------------------------------


def _pdf_text(data: bytes) -> Extracted:
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            return Extracted("", "skipped", "encrypted PDF: needs a password")
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception:
        return Extracted("", "error", "damaged PDF: it cannot be parsed")
    text = "\n".join(_reflowed(page) for page in _without_running_lines(pages))
    if not text.strip():
        return Extracted("", "skipped", "no text layer (scanned PDF?)")
    return _checked(text)


_DIGITS = re.compile(r"\d+")
_EDGE = 2  # running heads and page numbers sit in the first or last lines of a page


def _without_running_lines(pages: list[str]) -> list[str]:
    """Pages without the header and footer lines repeated on most of them.

    A line among the first or last two of a page is a running line when the same line (with
    any page number in it ignored) opens or closes at least half of the pages, and at least 3.
    """
    if len(pages) < 3:
        return pages
    split = [page.split("\n") for page in pages]
    seen: dict[str, int] = {}
    for lines in split:
        edge = {_DIGITS.sub("#", line.strip()) for line in lines[:_EDGE] + lines[-_EDGE:] if line.strip()}
        for key in edge:
            seen[key] = seen.get(key, 0) + 1
    running = {key for key, n in seen.items() if n >= max(3, len(pages) / 2)}
    if not running:
        return pages
    out = []
    for lines in split:
        keep = [
            line
            for i, line in enumerate(lines)
            if not ((i < _EDGE or i >= len(lines) - _EDGE) and _DIGITS.sub("#", line.strip()) in running)
        ]
        out.append("\n".join(keep))
    return out


_SENTENCE_END = re.compile(r"[。！？；：!?;:…][”’\"』」)）]*$")
_LATIN_END = re.compile(r"[A-Za-z0-9]$")
_LATIN_START = re.compile(r"^[A-Za-z0-9]")


def _reflowed(page: str) -> str:
    """A page's lines with the lines wrapped at the page width joined to the next one.

    A line as long as the longest lines of the page (at least 80 % of the 90th percentile)
    that does not end a sentence was cut by the page margin, not by the writer.
    """
    lines = [line.strip() for line in page.split("\n")]
    lengths = sorted(len(line) for line in lines if line)
    if len(lengths) < 3:
        return page
    width = lengths[int(0.9 * (len(lengths) - 1))]
    out: list[str] = []
    carry = False
    for line in lines:
        if carry and out and line:
            glue = " " if _LATIN_END.search(out[-1]) and _LATIN_START.search(line) else ""
            out[-1] += glue + line
        else:
            out.append(line)
        carry = bool(line) and len(line) >= 0.8 * width and not _SENTENCE_END.search(line)
    return "\n".join(out)
