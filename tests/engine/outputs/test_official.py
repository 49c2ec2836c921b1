"""The bulletin .docx read back: A4 and the 公文 page, type and page numbers of GB/T 9704
(docs/bulletin.md), then converted to PDF by LibreOffice to see that the page stays A4."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import docx
import polars as pl
import pytest
from bulletin_data import bulletin_data
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn

from liangxin.engine.outputs.bulletin import convert_to_pdf, write_docx

TOWNS = [
    {"town": "郑山街道", "total": 155, "org_covered": 21, "work_covered": 150},
    {"town": "大兴镇", "total": 86, "org_covered": 47, "work_covered": 80},
    {"town": "石门镇", "total": 0, "org_covered": 0, "work_covered": 0},
]
OVERDUE = pl.DataFrame(
    {"town": ["大兴镇"] * 40, "name": [f"临沭县第{i}商贸有限公司" for i in range(40)],
     "task": ["应建未建单独组建"] * 40, "deadline": ["2020年6月30日"] * 40}
)  # fmt: skip


@pytest.fixture(scope="module")
def bulletin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    totals = {"total": 241, "org_covered": 68, "work_covered": 230, "due_unestablished": 12}
    data = bulletin_data(TOWNS, totals, OVERDUE)
    return write_docx(data, tmp_path_factory.mktemp("bulletin") / "通报.docx")


def fonts(run) -> tuple[str | None, str | None, float]:
    east = run._element.rPr.rFonts.get(qn("w:eastAsia"))
    return run.font.name, east, run.font.size.pt


def test_the_page_is_a4_with_the_type_area_of_gbt_9704(bulletin: Path) -> None:
    section = docx.Document(str(bulletin)).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    width = section.page_width.mm - section.left_margin.mm - section.right_margin.mm
    height = section.page_height.mm - section.top_margin.mm - section.bottom_margin.mm
    assert (round(width), round(height)) == (156, 225)  # 版心
    grid = section._sectPr.find(qn("w:docGrid"))
    assert int(grid.get(qn("w:linePitch"))) * 22 / 20 == pytest.approx(225 / 25.4 * 72, abs=1)


def test_title_text_and_headings_use_the_official_fonts(bulletin: Path) -> None:
    document = docx.Document(str(bulletin))
    normal = document.styles["Normal"]
    assert normal.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert normal.paragraph_format.line_spacing.pt == pytest.approx(28.95, abs=0.05)
    by_text = {p.text: p for p in document.paragraphs if p.text}
    (issuer, *_) = [p for p in document.paragraphs if p.text == "中共临沭县委两新工委"]
    assert fonts(issuer.runs[0])[:2] == ("方正小标宋简体", "方正小标宋简体")
    assert issuer.runs[0].font.color.rgb is not None and str(issuer.runs[0].font.color.rgb)[:2] in (
        "E6", "C0", "FF"
    )  # fmt: skip
    (title,) = [p for t, p in by_text.items() if t.startswith("关于2020年6月全县")]
    assert fonts(title.runs[0]) == ("方正小标宋简体", "方正小标宋简体", 22.0)  # 二号
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    (opening,) = [p for t, p in by_text.items() if t.startswith("截至")]
    assert fonts(opening.runs[0]) == ("仿宋_GB2312", "仿宋_GB2312", 16.0)  # 三号
    assert opening.paragraph_format.first_line_indent.pt == 32.0  # 两字
    assert opening.text.startswith("截至2020年6月30日，全县")
    (first,) = [p for t, p in by_text.items() if t.startswith("一、")]
    assert fonts(first.runs[0]) == ("黑体", "黑体", 16.0)
    number = next(p for t, p in by_text.items() if t.startswith("两新工委〔2020〕"))
    border = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert border.get(qn("w:val")) == "single"  # the red separator under the 发文字号
    day = [p for t, p in by_text.items() if t == "2020年6月30日"][-1]
    assert day.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert day.paragraph_format.right_indent.pt == 64.0  # 右空四字
    table = document.tables[0]
    shown = {row.cells[0].text: row.cells[3].text for row in table.rows[1:]}
    assert shown == {"大兴镇": "54.7%", "郑山街道": "13.5%", "石门镇": "—"}
    assert fonts(table.rows[1].cells[0].paragraphs[0].runs[0])[1] == "仿宋_GB2312"


def test_page_numbers_are_dashes_around_the_number_in_song_4(bulletin: Path) -> None:
    document = docx.Document(str(bulletin))
    settings = document.settings.element
    assert settings.find(qn("w:evenAndOddHeaders")) is not None
    section = document.sections[0]
    for footer, align, indent in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right_indent"),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left_indent"),
    ):
        (p,) = footer.paragraphs
        assert p.alignment == align
        assert getattr(p.paragraph_format, indent).pt == 14.0  # 空一字
        xml = p._p.xml
        assert "PAGE" in "".join(p._p.itertext()) and 'w:fldCharType="begin"' in xml
        assert re.fullmatch(r"— 1 —", p.text)
        assert {fonts(r) for r in p.runs} == {("宋体", "宋体", 14.0)}


@pytest.mark.skipif(not shutil.which("libreoffice"), reason="LibreOffice Writer is not installed")
def test_the_pdf_is_a4(bulletin: Path, tmp_path: Path) -> None:
    pdf = convert_to_pdf(bulletin, tmp_path).read_bytes()
    boxes = set(re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf))
    assert boxes and all(
        (round(float(w) / 72 * 25.4), round(float(h) / 72 * 25.4)) == (210, 297) for w, h in boxes
    )
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 2  # 40 overdue tasks need a second page
