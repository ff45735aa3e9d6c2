import io
import random
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib import ingest
from lib.ingest import Extracted, extract_text

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"

# seed 003, first paragraph, and seed 000, first sentence (with its full-width comma)
PARAGRAPH = (
    "曲周县政协在河北省率先实现“两个全覆盖”\n"
    "加强政协党的建设是坚持人民政协制度的根本保证。中共中央办公厅日前印发的《关于加强新时代人民政协党的建设工作的若干意见》中提出,"
    "要加强政协党的组织建设,实现党的组织对党员委员的全覆盖、党的工作对政协委员的全覆盖。\n"
    "今年以来，我县针对政协委员多为兼职、党外委员比例高等现实情况，在全县230名政协委员中设立了10个界别党支部。\n"
)


# --- plain text in every encoding ---------------------------------------------------------


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le", "utf-16-be", "utf-32"]
)
def test_text_in_each_encoding(encoding: str) -> None:
    result = extract_text(PARAGRAPH.encode(encoding), name="doc.txt")
    assert result == Extracted(PARAGRAPH, "ok", "")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "gbk"])
def test_chinese_only_text_without_bom(encoding: str) -> None:
    # no ASCII at all, so no NUL bytes tell UTF-16 apart
    text = "政协委员多为兼职党外委员比例高等现实情况。形成了支部建在界别上委员聚在党旗下的新局面。"
    assert extract_text(text.encode(encoding), name="a.md") == Extracted(text, "ok", "")


def test_format_comes_from_the_bytes_not_the_name() -> None:
    assert extract_text(PARAGRAPH.encode("gbk"), name="page.html").text == PARAGRAPH
    page = "<html><body><p>政协委员</p><script>var x = 1;</script></body></html>"
    assert extract_text(page.encode("utf-8"), name="notes.txt").text == "政协委员"


def test_the_seeds_are_read_as_utf8() -> None:
    for path in sorted(CORPUS.iterdir()):
        result = extract_text(path.read_bytes(), name=path.name)
        assert result.status == "ok" and result.reason == ""
        assert result.text == path.read_text(encoding="utf-8")


def test_a_few_broken_bytes_are_dropped_and_said() -> None:
    data = PARAGRAPH.encode("utf-8")
    broken = data[:30] + b"\xff" + data[30:]
    result = extract_text(broken, name="a.txt")
    assert result.status == "ok"
    assert result.text == PARAGRAPH
    assert "1 undecodable" in result.reason


def test_text_without_chinese_is_kept_and_said() -> None:
    result = extract_text(b"Minutes of the meeting.\n", name="en.txt")
    assert result == Extracted("Minutes of the meeting.\n", "ok", "no Chinese characters (kept)")


@pytest.mark.parametrize(
    ("data", "status", "reason"),
    [
        (b"", "skipped", "empty file"),
        (b"  \r\n\t \n", "skipped", "no text (empty or only white space)"),
        ("\ufeff".encode(), "skipped", "no text (empty or only white space)"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "skipped", "binary file (PNG image), not a text"),
        (b"\xff\xd8\xff\xe0" + bytes(200), "skipped", "binary file (JPEG image), not a text"),
        (b"\x7fELF\x02\x01\x01" + bytes(200), "skipped", "binary file (executable), not a text"),
        (bytes(range(256)) * 8, "skipped", "binary file (not a text)"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500),
            "skipped",
            "old binary Office file (.doc/.xls/.ppt): save it as .docx to include it",
        ),
        (b"%PDF-1.4\n garbage", "error", "damaged PDF: it cannot be parsed"),
        (b"{\\rtf1\\ansi hello}", "skipped", "RTF document: not supported, save it as .docx to include it"),
        (b"PK\x03\x04 broken zip", "error", "damaged ZIP container (a broken .docx?)"),
    ],
)
def test_files_without_text_get_a_reason(data: bytes, status: str, reason: str) -> None:
    assert extract_text(data, name="x") == Extracted("", status, reason)


def test_random_bytes_are_never_ok() -> None:
    rng = random.Random(7)
    for _ in range(20):
        data = bytes(rng.randrange(256) for _ in range(3000))
        result = extract_text(data, name="noise.bin")
        assert result.status in ("skipped", "error")
        assert result.reason


# --- HTML -----------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head><meta charset="gbk"><title>曲周县政协_河北新闻网</title>
<style>p { color: red }</style><script>var 统计 = "脚本";</script></head>
<body>
<nav><a href="/">首页</a> <a href="/news">新闻</a></nav>
<div class="breadcrumb">河北新闻 &gt; 本网原创</div>
<article>
<h1>曲周县政协在河北省率先实现&ldquo;两个全覆盖&rdquo;</h1>
<p>加强政协党的建设是坚持
人民政协制度的根本保证。</p>
<p>在全县16个界别建立了<b>8个</b>临时党支部。<br>将全县72名党员委员编入界别党支部。</p>
<table><tr><th>界别</th><th>党员委员</th></tr><tr><td>经济界</td><td>12</td></tr></table>
<div style="display: none">隐藏的文字</div>
</article>
<div class="share-bar">分享到微信</div>
<footer>版权所有 河北新闻网</footer>
</body></html>"""


def test_html_visible_text_only() -> None:
    result = extract_text(PAGE.encode("gbk"), name="page.htm")
    assert result.status == "ok"
    assert result.text.split("\n") == [
        "曲周县政协在河北省率先实现“两个全覆盖”",
        "加强政协党的建设是坚持 人民政协制度的根本保证。",
        "在全县16个界别建立了8个临时党支部。",
        "将全县72名党员委员编入界别党支部。",
        "界别\t党员委员",
        "经济界\t12",
    ]


def test_html_in_utf16() -> None:
    result = extract_text(PAGE.replace("gbk", "utf-16").encode("utf-16"), name="page.html")
    assert "在全县16个界别建立了8个临时党支部。" in result.text


# --- Word -------------------------------------------------------------------------------------


def make_docx() -> bytes:
    document = docx.Document()
    document.add_heading("基层政协党组织建设工作经验材料", level=1)
    document.add_paragraph("今年以来，我县积极探索加强基层政协党组织建设的新途径。")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([["界别", "党支部", "党员委员"], ["经济界", "1", "12"], ["合计", "", "72"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(2, 0).merge(table.cell(2, 1)).text = "合计"
    document.add_paragraph("一、抓党建，开新局。")
    document.sections[0].header.paragraphs[0].text = "页眉不是正文"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_paragraphs_and_tables_in_order() -> None:
    result = extract_text(make_docx(), name="report.bin")
    assert result.status == "ok"
    assert result.text.split("\n") == [
        "基层政协党组织建设工作经验材料",
        "今年以来，我县积极探索加强基层政协党组织建设的新途径。",
        "界别\t党支部\t党员委员",
        "经济界\t1\t12",
        "合计\t72",
        "一、抓党建，开新局。",
    ]


def test_empty_docx_and_other_zips() -> None:
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    assert extract_text(buffer.getvalue(), name="empty.docx") == Extracted(
        "", "skipped", "no text (empty or only white space)"
    )
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("a.txt", "政协")
    assert extract_text(archive.getvalue(), name="a.docx") == Extracted(
        "", "skipped", "ZIP archive: unpack it and give the files inside"
    )


# --- PDF ------------------------------------------------------------------------------------------


def make_pdf(lines: list[str], *more_pages: list[str]) -> bytes:
    """A PDF whose pages' text layers hold ``lines`` (and ``more_pages``), one line each.

    The font is a Type0 font with Identity-H encoding: every character is written as its
    two-byte code point, and the ToUnicode map sends each code back to the character.
    No glyphs are embedded; extraction only needs the map.
    """
    pages = [lines, *more_pages]
    chars = sorted({c for page in pages for line in page for c in line})
    blocks = [chars[i : i + 100] for i in range(0, len(chars), 100)]
    bfchars = "\n".join(
        f"{len(block)} beginbfchar\n" + "\n".join(f"<{ord(c):04X}> <{ord(c):04X}>" for c in block) + "\nendbfchar"
        for block in blocks
    )
    cmap = (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        f"{bfchars}\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
    )
    # objects: 1 catalog, 2 page tree, 3 font, 4 its CID font, 5 the ToUnicode map,
    # then a page and its content stream for each page
    n = len(pages)
    kids = " ".join(f"{6 + 2 * i} 0 R" for i in range(n))
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {n} >>",
        "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H "
        "/DescendantFonts [4 0 R] /ToUnicode 5 0 R >>",
        "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /DW 1000 >>",
        stream(cmap),
    ]
    for i, page in enumerate(pages):
        shown = " 0 -24 Td ".join("<" + "".join(f"{ord(c):04X}" for c in line) + "> Tj" for line in page)
        content = f"BT /F1 12 Tf 72 720 Td {shown} ET" if page else "0 0 1 rg 72 72 200 200 re f"
        objects.append(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {7 + 2 * i} 0 R >>"
        )
        objects.append(stream(content))
    return build_pdf(objects)


def stream(body: str) -> str:
    return f"<< /Length {len(body.encode('ascii'))} >>\nstream\n{body}\nendstream"


def build_pdf(objects: list[str]) -> bytes:
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("ascii")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("ascii")
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode("ascii")
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode("ascii")
    return out


def test_pdf_text_layer() -> None:
    lines = ["曲周县政协在河北省率先实现“两个全覆盖”", "在全县16个界别建立了8个临时党支部。"]
    result = extract_text(make_pdf(lines), name="scan.txt")
    assert result.status == "ok"
    assert [line.replace(" ", "") for line in result.text.split("\n") if line.strip()] == lines


def test_pdf_running_heads_and_page_numbers_go() -> None:
    pages = [
        ["理论研讨 | 决策探索", "濮阳、商丘等市政协通过召开党的建设联席会、推进会,定期研究政协党建工作。", "- 8 -"],
        [
            "理论研讨 | 决策探索",
            "安阳、焦作等市政协在听取县区政协工作汇报时,把党的建设作为加强工作指导的内容。",
            "- 9 -",
        ],
        ["理论研讨 | 决策探索", "南阳市政协每半年对党建工作和履职工作进行“讲述评”。", "- 10 -"],
    ]
    result = extract_text(make_pdf(*pages), name="journal.pdf")
    lines = [line.replace(" ", "") for line in result.text.split("\n") if line.strip()]
    assert lines == [page[1] for page in pages]


def test_pdf_lines_wrapped_at_the_margin_are_joined() -> None:
    first = (
        "加强政协党的建设是坚持人民政协制度的根本保证。中共中央办公厅日前印发的关于加强新时代"
        "人民政协党的建设工作的若干意见中提出，要加强政协党的组织建设。"
    )
    second = "曲周县政协积极探索创新县级政协党组织设置方式，在全县16个界别建立了8个临时党支部。"
    wrapped = [first[i : i + 20] for i in range(0, len(first), 20)] + [second[:20], second[20:]]
    result = extract_text(make_pdf(["曲周县政协实现两个全覆盖", *wrapped]), name="a.pdf")
    lines = [line.replace(" ", "") for line in result.text.split("\n") if line.strip()]
    assert lines == ["曲周县政协实现两个全覆盖", first, second]


def test_pdf_without_text_layer() -> None:
    assert extract_text(make_pdf([]), name="scan.pdf") == Extracted("", "skipped", "no text layer (scanned PDF?)")


# --- discovering files -------------------------------------------------------------------------


def test_discover(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    for name in ("b/2.txt", "b/1.md", "a.html", ".DS_Store", ".git/config"):
        (tmp_path / name).write_text("政协", encoding="utf-8")
    found = ingest.discover([tmp_path, tmp_path / "a.html", tmp_path / ".DS_Store"])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["a.html", "b/1.md", "b/2.txt", ".DS_Store"]
    with pytest.raises(FileNotFoundError):
        ingest.discover([tmp_path / "missing"])


# --- properties ----------------------------------------------------------------------------------

PREFIXES = [b"", b"%PDF-1.4\n", b"PK\x03\x04", b"<html><body>", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00"]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PREFIXES), st.binary(max_size=2000))
def test_any_bytes_never_raise(prefix: bytes, data: bytes) -> None:
    result = extract_text(prefix + data, name="any")
    assert result.status in ("ok", "skipped", "error")
    assert (result.status == "ok") == bool(result.text.strip())
    if result.status != "ok":
        assert result.reason


PRINTABLE = st.text(st.characters(blacklist_categories=("Cc", "Cs")) | st.sampled_from("\n\t"), max_size=300)


@settings(max_examples=200, deadline=None)
@given(PRINTABLE.filter(lambda t: bool(t.strip()) and "<" not in t), st.sampled_from(["utf-8", "utf-16", "utf-32"]))
def test_any_text_comes_back(text: str, encoding: str) -> None:
    result = extract_text(text.encode(encoding), name="t.txt")
    assert result.status == "ok"
    assert result.text == text


def test_markdown_with_a_tag_is_not_html() -> None:
    text = '<div align="center">政协</div>\n\n### 构建理论武装大格局\n\n唐山市政协主席、党组书记 胡国辉\n'
    assert extract_text(text.encode("utf-8"), name="a.md").text == text


def test_html_fragment() -> None:
    fragment = "<p>加强政协党的建设。</p><p>实现两个全覆盖。</p>"
    assert extract_text(fragment.encode("utf-8"), name="a.txt").text == "加强政协党的建设。\n实现两个全覆盖。"


def test_big5_text_is_found_by_the_detector() -> None:
    text = "政協委員會於二零一八年召開會議，討論黨建工作。曲周縣政協在河北省率先實現「兩個全覆蓋」。\n"
    result = extract_text(text.encode("big5"), name="tw.txt")
    assert result == Extracted(text, "ok", "decoded as big5")
