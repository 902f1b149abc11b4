""".docx files built for real (python-docx, then word/document.xml edited inside the zip): content
controls, custom XML, breaks, tabs, text boxes, tables, a missing body, zip bombs (issue 13)."""
from __future__ import annotations

import itertools
import re
import struct
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis_utils import SpeechError, load_speech
from analysis_utils.reading import read_docx

docx = pytest.importorskip("docx")

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_names = itertools.count()


def write_docx(path: Path, body_xml: str | None) -> Path:
    """A real .docx: python-docx's package with the body of word/document.xml replaced by ``body_xml``
    (``None``: a document element without a body)."""
    docx.Document().save(path)
    with zipfile.ZipFile(path) as z:
        parts = {info: z.read(info) for info in z.infolist()}
    for info, data in parts.items():
        if info.filename == "word/document.xml":
            xml = data.decode("utf-8")
            head, rest = xml.split("<w:body>", 1)
            sect = rest[rest.index("<w:sectPr"):rest.index("</w:body>")]
            tail = rest[rest.index("</w:body>") + len("</w:body>"):]
            new = head + ("" if body_xml is None else f"<w:body>{body_xml}{sect}</w:body>") + tail
            parts[info] = new.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in parts.items():
            z.writestr(info.filename, data)
    return path


def p(*inline: str) -> str:
    return f"<w:p>{''.join(inline)}</w:p>"


def r(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


BR, CR, TAB = "<w:r><w:br/></w:r>", "<w:r><w:cr/></w:r>", "<w:r><w:tab/></w:r>"


def text_box(paragraphs: str) -> str:
    """A text box as Word writes it: the DrawingML shape, and a VML copy of it as the fallback."""
    return ('<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor>'
            '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
            '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
            f'<wps:wsp><wps:txbx><w:txbxContent>{paragraphs}</w:txbxContent></wps:txbx></wps:wsp>'
            '</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
            f'<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{paragraphs}</w:txbxContent>'
            '</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>')


def _docx(tmp_path, body_xml) -> Path:
    return write_docx(tmp_path / f"doc_{next(_names)}.docx", body_xml)


# ------------------------------------------------------------------------- what was lost or glued
def test_content_controls_and_custom_xml_are_kept(tmp_path):
    body = (p(r("在党建工作会议上的讲话"))
            + f'<w:sdt><w:sdtPr><w:alias w:val="日期"/></w:sdtPr><w:sdtContent>{p(r("2022年1月1日"))}</w:sdtContent></w:sdt>'
            + p(r("同志们："), f'<w:sdt><w:sdtContent>{r("今天")}</w:sdtContent></w:sdt>', r("开会。"))
            + f'<w:customXml w:element="body">{p(r("我们要加强组织建设。"))}</w:customXml>')
    assert read_docx(_docx(tmp_path, body)).split("\n") == [
        "在党建工作会议上的讲话", "2022年1月1日", "同志们：今天开会。", "我们要加强组织建设。"]


def test_line_breaks_and_tabs_keep_title_date_and_speaker_apart(tmp_path):
    f = _docx(tmp_path, p(r("在党建工作会议上的讲话"), BR, r("（2022年1月1日）"), CR, r("张三"))
              + p(r("同志们："))
              + p(r("一、总体要求"), TAB, r("第一部分")))
    assert read_docx(f).split("\n") == ["在党建工作会议上的讲话", "（2022年1月1日）", "张三", "同志们：", "一、总体要求\t第一部分"]
    s = load_speech(f)
    assert (s.meta.title, s.meta.date, s.meta.speaker, s.meta.salutation) == ("在党建工作会议上的讲话", "2022-01-01", "张三", "同志们：")


def test_a_text_box_is_read_once_after_its_paragraph(tmp_path):
    f = _docx(tmp_path, p(r("在会上的讲话")) + p(r("同志们："), text_box(p(r("框内的说明文字")) + p(r("第二行"))), r("今天开会。")))
    assert read_docx(f).split("\n") == ["在会上的讲话", "同志们：今天开会。", "框内的说明文字", "第二行"]
    assert load_speech(f).body.count("框内的说明文字") == 1


def test_deleted_text_is_left_out_and_inserted_text_kept(tmp_path):
    body = p(r("我们要"), '<w:del w:id="1" w:author="a"><w:r><w:delText>删除的字</w:delText></w:r></w:del>',
             '<w:ins w:id="2" w:author="a">' + r("插入的字") + "</w:ins>", '<w:hyperlink w:anchor="x">' + r("链接") + "</w:hyperlink>")
    assert read_docx(_docx(tmp_path, body)) == "我们要插入的字链接"


def test_tables_one_line_per_row_nested_tables_once(tmp_path):
    def tc(content):
        return f"<w:tc><w:tcPr/>{content}</w:tc>"
    nested = f"<w:tbl><w:tr>{tc(p(r('内甲')))}{tc(p(r('内乙')))}</w:tr></w:tbl>"
    body = (p(r("表格如下。"))
            + f"<w:tbl><w:tblPr/><w:tblGrid/><w:tr>{tc(p(r('指标')) + p(r('说明')))}{tc(p(r('完成'), BR, r('情况')))}</w:tr>"
            + f"<w:tr>{tc(nested + p(''))}{tc(p(r('外')))}</w:tr></w:tbl>")
    assert read_docx(_docx(tmp_path, body)).split("\n") == ["表格如下。", "指标 说明\t完成 情况", "内甲 内乙\t外"]


def test_a_document_without_a_body_is_a_one_line_error(tmp_path):
    f = _docx(tmp_path, None)
    with pytest.raises(SpeechError) as e:
        load_speech(f)
    assert str(e.value) == f"{f}: not a valid .docx file: its document part has no body (no w:body element), so no text"


# ------------------------------------------------------------------------- random structure
_tokens = itertools.count()


def _token() -> str:
    return f"词{next(_tokens):04d}号"


class _Doc:
    """Renders a random structure to document.xml, and says what read_docx must return for it."""

    def blocks(self, specs) -> tuple[str, list[str]]:
        xml, lines = "", []
        for spec in specs:
            x, ls = self.block(spec)
            xml += x
            lines += ls
        return xml, lines

    def block(self, spec) -> tuple[str, list[str]]:
        kind = spec[0]
        if kind == "p":
            return self.paragraph(spec[1])
        if kind in ("sdt", "custom"):
            xml, lines = self.blocks(spec[1])
            wrap = (f"<w:sdt><w:sdtPr/><w:sdtContent>{xml}</w:sdtContent></w:sdt>" if kind == "sdt"
                    else f'<w:customXml w:element="x">{xml}</w:customXml>')
            return wrap, lines
        rows_xml, lines = "", []
        for row in spec[1]:
            cells_xml, cells = "", []
            for cell in row:
                xml, cell_lines = self.blocks(cell)
                cells_xml += f"<w:tc>{xml or '<w:p/>'}</w:tc>"
                parts = "\n".join(cell_lines).replace("\t", " ").split("\n")
                cells.append(" ".join(x for x in parts if x.strip()))
            rows_xml += f"<w:tr>{cells_xml}</w:tr>"
            lines.append("\t".join(cells))
        return f"<w:tbl><w:tblPr/><w:tblGrid/>{rows_xml}</w:tbl>", lines

    def paragraph(self, inlines) -> tuple[str, list[str]]:
        xml, text, boxes = "", "", []
        for spec in inlines:
            kind = spec[0]
            if kind in ("run", "sdt", "link"):
                runs = [_token() for _ in range(1 if kind == "run" else spec[1])]
                inner = "".join(r(t) for t in runs)
                xml += {"run": inner, "sdt": f"<w:sdt><w:sdtContent>{inner}</w:sdtContent></w:sdt>",
                        "link": f'<w:hyperlink w:anchor="a">{inner}</w:hyperlink>'}[kind]
                text += "".join(runs)
            elif kind in ("br", "cr", "tab"):
                xml += {"br": BR, "cr": CR, "tab": TAB}[kind]
                text += "\t" if kind == "tab" else "\n"
            elif kind == "del":
                xml += f'<w:del w:id="9" w:author="a"><w:r><w:delText>{_token()}删</w:delText></w:r></w:del>'
            else:  # a text box of paragraphs
                box_xml, box_lines = self.blocks([("p", x) for x in spec[1]])
                xml += text_box(box_xml)
                boxes += box_lines
        return f"<w:p>{xml}</w:p>", [text, *boxes]


_plain_inline = st.one_of(st.tuples(st.just("run")), st.tuples(st.sampled_from(["br", "cr", "tab", "del"])),
                          st.tuples(st.sampled_from(["sdt", "link"]), st.integers(1, 3)))
_inline = st.one_of(_plain_inline, st.tuples(st.just("box"), st.lists(st.lists(_plain_inline, min_size=1, max_size=3), min_size=1, max_size=2)))
_paragraph = st.tuples(st.just("p"), st.lists(_inline, min_size=1, max_size=6))
_blocks = st.recursive(
    _paragraph,
    lambda inner: st.one_of(
        st.tuples(st.sampled_from(["sdt", "custom"]), st.lists(inner, min_size=1, max_size=3)),
        st.tuples(st.just("tbl"), st.lists(st.lists(st.lists(inner, min_size=1, max_size=2), min_size=1, max_size=3), min_size=1, max_size=3)),
    ),
    max_leaves=12,
)


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(_blocks, min_size=1, max_size=6))
def test_word_files_of_random_structure_give_every_run_once_in_order(tmp_path, specs):
    xml, expected = _Doc().blocks([("p", [("run",)]), *specs])  # one run at least, so there is text
    f = _docx(tmp_path, xml)
    text = read_docx(f)
    assert text == "\n".join(expected)  # breaks as lines, tabs as tabs, table rows as lines, text boxes after their paragraph
    runs = list(dict.fromkeys(t.split("</w:t>")[0] for t in xml.split('<w:t xml:space="preserve">')[1:]))
    assert all(text.count(t) == 1 for t in runs)  # every run exactly once (a text box is written twice: Choice, Fallback)
    assert "删" not in text  # deleted text is not read
    body = load_speech(f).body
    in_order = sorted(runs, key=text.find)
    assert [body.find(t) for t in in_order] == sorted(body.find(t) for t in in_order) and body.find(in_order[0]) >= 0


# ------------------------------------------------------------------------- size limits
def test_a_docx_that_would_unpack_to_3_gb_is_refused_from_its_table_of_contents(tmp_path):
    f = _docx(tmp_path, p(r("在会上的讲话")))
    data = bytearray(f.read_bytes())
    # the central directory entry of word/document.xml: say its uncompressed size is 3 GB
    name = b"word/document.xml"
    at = data.index(b"PK\x01\x02")
    while data[at + 46: at + 46 + len(name)] != name:
        at = data.index(b"PK\x01\x02", at + 4)
    struct.pack_into("<I", data, at + 24, 3 * 1024 ** 3)
    f.write_bytes(bytes(data))
    with pytest.raises(SpeechError) as e:
        load_speech(f)
    assert re.search(r"would unpack to 3,07\d MB, more than the 500 MB .*ANALYSIS_UTILS_MAX_DOCX_MB=<MB>", str(e.value))


def test_a_zip_bomb_part_is_refused_before_it_is_unpacked(tmp_path):
    blanks = (" " * 1024 * 1024 + "<w:p/>") * 60  # 60 MB of blanks and empty paragraphs, stored in 60 KB
    f = _docx(tmp_path, p(r("在会上的讲话")) + blanks + p(r("同志们：")))
    with pytest.raises(SpeechError) as e:
        load_speech(f)
    assert "its part word/document.xml would expand" in str(e.value) and "ANALYSIS_UTILS_MAX_DOCX_RATIO" in str(e.value)
    assert load_speech(f, max_docx_ratio=10_000).body == "在会上的讲话\n同志们："


def test_the_docx_limits_are_raised_by_keyword_or_environment(tmp_path, monkeypatch):
    f = _docx(tmp_path, p(r("在会上的讲话")) + p(r("同志们：今天开会。")))
    with pytest.raises(SpeechError, match=r"more than the 0.001 MB the loader unpacks from a .docx"):
        load_speech(f, max_docx_mb=0.001)
    monkeypatch.setenv("ANALYSIS_UTILS_MAX_DOCX_MB", "0.001")
    with pytest.raises(SpeechError, match="ANALYSIS_UTILS_MAX_DOCX_MB=<MB>"):
        load_speech(f)
    assert load_speech(f, max_docx_mb=5).meta.title == "在会上的讲话"
