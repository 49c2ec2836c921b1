"""公文 page and type settings (GB/T 9704-2012, 党政机关公文格式) for Word documents.

The settings, with their clauses, are in docs/bulletin.md: A4; 版心 156 mm × 225 mm with
天头 37 mm and 订口 28 mm; 22 lines of 3号 text a page; 发文机关标志 and title in 小标宋, text in
3号 仿宋, headings 黑体 / 楷体 / 仿宋 by level; page numbers “— 1 —” in 4号 宋体, odd pages to
the right and even pages to the left, each one character in from the edge of the 版心.
A document is built with ``official_document`` and the paragraph helpers below.
"""

from __future__ import annotations

from datetime import date

from docx.document import Document as DocumentType
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from liangxin.engine.dates import date_text

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)  # A4
MARGIN_TOP, MARGIN_BOTTOM = Mm(37), Mm(35)  # 天头 37 mm; 225 mm of 版心 leave 35 mm
MARGIN_LEFT, MARGIN_RIGHT = Mm(28), Mm(26)  # 订口 28 mm; 156 mm of 版心 leave 26 mm
FOOTER_DISTANCE = Mm(28)  # the page number sits about 7 mm below the 版心
LINES_PER_PAGE = 22
LINE_PITCH = Pt(28.95)  # 225 mm / 22 lines

FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_HEADING_1 = "黑体"
FONT_HEADING_2 = "楷体_GB2312"
FONT_PAGE_NUMBER = "宋体"
# 号 → points: 初号 42, 二号 22, 三号 16, 四号 14, 小四 12, 五号 10.5
SIZE_ISSUER = Pt(42)  # 发文机关标志: at most 22 mm × 15 mm a character; 初号 fits a short name
SIZE_TITLE = Pt(22)  # 二号
SIZE_BODY = Pt(16)  # 三号
SIZE_PAGE_NUMBER = Pt(14)  # 四号
SIZE_TABLE = Pt(12)  # 小四: tables may use a smaller size than the text
RED = RGBColor(0xE6, 0x00, 0x12)  # 红色 of the 版头 (GB/T 9704 uses red; the exact hue is usual)
HEADING_FONTS = {1: FONT_HEADING_1, 2: FONT_HEADING_2, 3: FONT_BODY, 4: FONT_BODY}


def official_document() -> DocumentType:
    """An empty A4 document with the 公文 page, grid, body style and page numbers."""
    from docx import Document

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.footer_distance = FOOTER_DISTANCE
    _line_grid(section)
    normal = doc.styles["Normal"]
    set_font(normal.font, normal.element, FONT_BODY, SIZE_BODY)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = LINE_PITCH
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
    return doc


def set_font(font, element, name: str, size: Pt) -> None:
    """``name`` for Chinese and Latin text alike (Word keeps a separate East Asian font)."""
    font.name = name
    font.size = size
    element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def run(paragraph, text: str, font: str = FONT_BODY, size: Pt = SIZE_BODY, bold=False,
        color: RGBColor | None = None):  # fmt: skip
    added = paragraph.add_run(text)
    set_font(added.font, added._element, font, size)
    added.bold = bold
    if color is not None:
        added.font.color.rgb = color
    return added


def paragraph(doc, text: str = "", font: str = FONT_BODY, size: Pt = SIZE_BODY, *,
              align=None, indent: bool = True, bold: bool = False,
              color: RGBColor | None = None):  # fmt: skip
    """Text of the body: 首行缩进两字 unless aligned or ``indent`` is off."""
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    elif indent:
        p.paragraph_format.first_line_indent = Pt(size.pt * 2)
    if text:
        run(p, text, font, size, bold, color)
    return p


def heading(doc, text: str, level: int):
    """结构层次: 一、(黑体) （一）(楷体) 1.(仿宋) (1)(仿宋), all 三号, indented like the text."""
    return paragraph(doc, text, HEADING_FONTS[level])


def issuer_header(doc, issuer: str, number: str) -> None:
    """版头: 发文机关标志 in red 小标宋, centred; 发文字号 in 仿宋 under it, then the red
    separator as wide as the 版心."""
    center = WD_ALIGN_PARAGRAPH.CENTER
    size = SIZE_ISSUER if len(issuer) <= 7 else Pt(min(42.0, 440 / len(issuer)))
    mark = paragraph(doc, issuer, FONT_TITLE, size, align=center, color=RED)
    mark.paragraph_format.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
    paragraph(doc)
    paragraph(doc)
    numbered = paragraph(doc, number, align=center)
    _bottom_rule(numbered, RED)
    paragraph(doc)


def title(doc, text: str) -> None:
    """标题: 二号 小标宋, centred, a blank line after it before the 主送机关."""
    heading_title = paragraph(doc, text, FONT_TITLE, SIZE_TITLE, align=WD_ALIGN_PARAGRAPH.CENTER)
    heading_title.paragraph_format.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
    paragraph(doc)


def signature(doc, issuer: str, day: date) -> None:
    """发文机关署名 over 成文日期 (阿拉伯数字, 年月日 in full), right-aligned, four characters
    in from the right."""
    paragraph(doc)
    for text in (issuer, date_text(day)):
        p = paragraph(doc, text, align=WD_ALIGN_PARAGRAPH.RIGHT)
        p.paragraph_format.right_indent = Pt(SIZE_BODY.pt * 4)


def table_text(cell, text: str, font: str = FONT_BODY, bold: bool = False) -> None:
    """A new table cell's text: 小四, centred, single spaced (the 22-line grid is for the text)."""
    p = cell.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    off_grid(p)
    run(p, text, font, SIZE_TABLE, bold)


def off_grid(p) -> None:
    """Single spacing, not snapped to the 22-line grid: table cells, pictures."""
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    p._p.get_or_add_pPr().insert_element_before(snap, *("w:spacing", "w:ind", "w:jc", "w:rPr"))


def _line_grid(section) -> None:
    """Word's document grid of 22 lines a page (文档网格)."""
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(int(LINE_PITCH.pt * 20)))


def _bottom_rule(p, color: RGBColor) -> None:
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "12")  # eighths of a point: 1.5 pt
    bottom.set(qn("w:space"), "6")
    bottom.set(qn("w:color"), str(color))
    borders.append(bottom)
    p._p.get_or_add_pPr().append(borders)


def _page_number(p, align) -> None:
    """“— 7 —”: 4号 宋体, a one-character space between the number and the page edge side."""
    p.alignment = align
    side = "right_indent" if align == WD_ALIGN_PARAGRAPH.RIGHT else "left_indent"
    setattr(p.paragraph_format, side, Pt(SIZE_PAGE_NUMBER.pt))
    run(p, "— ", FONT_PAGE_NUMBER, SIZE_PAGE_NUMBER)
    for element in (_field_char("begin"), _text("w:instrText", " PAGE "),
                    _field_char("separate"), _text("w:t", "1"), _field_char("end")):  # fmt: skip
        run(p, "", FONT_PAGE_NUMBER, SIZE_PAGE_NUMBER)._r.append(element)
    run(p, " —", FONT_PAGE_NUMBER, SIZE_PAGE_NUMBER)


def _field_char(kind: str):
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    return char


def _text(tag: str, text: str):
    element = OxmlElement(tag)
    element.set(qn("xml:space"), "preserve")
    element.text = text
    return element
