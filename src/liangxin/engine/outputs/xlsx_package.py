"""The small parts of an xlsx package around its worksheets: content types, relationships, the
workbook (sheet names, filter ranges), styles and document properties (with a fixed date, so a
rebuild is byte-identical).
"""

from __future__ import annotations

import zipfile
from xml.sax.saxutils import escape, quoteattr

XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
FIXED_DATE = "2000-01-01T00:00:00Z"  # document properties; keeps builds byte-identical
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
COMPRESS_LEVEL = 1  # measured at 100k orgs: level 6 takes ~1.4× as long for a 30 % smaller file

_CT = "application/vnd.openxmlformats-officedocument"
_PACKAGE_RELS = (
    XML_HEAD + f'<Relationships xmlns="{PACKAGE_REL_NS}">'
    f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
    'metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{REL_NS}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)
_CORE = (
    XML_HEAD + "<cp:coreProperties "
    'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:creator>liangxin</dc:creator>"
    f'<dcterms:created xsi:type="dcterms:W3CDTF">{FIXED_DATE}</dcterms:created>'
    f'<dcterms:modified xsi:type="dcterms:W3CDTF">{FIXED_DATE}</dcterms:modified>'
    "</cp:coreProperties>"
)
_APP = (
    XML_HEAD + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'extended-properties"><Application>liangxin</Application></Properties>'
)
# cellXfs: 0 default, 1 title (bold 14, centred), 2 header (bold, border, centred, wrapped,
# filled), 3 date — the indices of xlsx_cells.STYLE_*.
STYLES = (
    XML_HEAD + f'<styleSheet xmlns="{MAIN_NS}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts>'
    '<fonts count="3">'
    '<font><sz val="11"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>'
    '<font><b/><sz val="14"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>'
    "</fonts>"
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/>'
    '<bgColor indexed="64"/></patternFill></fill></fills>'
    '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '<border><left style="thin"><color auto="1"/></left><right style="thin"><color auto="1"/>'
    '</right><top style="thin"><color auto="1"/></top><bottom style="thin"><color auto="1"/>'
    "</bottom><diagonal/></border></borders>"
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" '
    'applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" '
    'applyBorder="1" applyAlignment="1">'
    '<alignment horizontal="center" vertical="center" wrapText="1"/></xf>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def entry(name: str) -> zipfile.ZipInfo:
    """A zip member with a fixed date and compression (the same bytes on every build)."""
    info = zipfile.ZipInfo(name, ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    try:
        info.compress_level = COMPRESS_LEVEL  # Python 3.13 and later
    except AttributeError:
        info._compresslevel = COMPRESS_LEVEL
    info.external_attr = 0o600 << 16
    return info


def sheet_part(index: int) -> str:
    return f"xl/worksheets/sheet{index + 1}.xml"


def write_package(zf: zipfile.ZipFile, sheets: list[tuple[str, str | None]]) -> None:
    """Everything but the worksheets, for ``sheets`` as (name, filter range or None) in order."""
    parts = {
        "[Content_Types].xml": _content_types(len(sheets)),
        "_rels/.rels": _PACKAGE_RELS,
        "docProps/core.xml": _CORE,
        "docProps/app.xml": _APP,
        "xl/workbook.xml": _workbook(sheets),
        "xl/_rels/workbook.xml.rels": _workbook_rels(len(sheets)),
        "xl/styles.xml": STYLES,
    }
    for name, xml in parts.items():
        zf.writestr(entry(name), xml.encode())


def _content_types(n_sheets: int) -> str:
    sheets = "".join(
        f'<Override PartName="/{sheet_part(k)}" ContentType="{_CT}.spreadsheetml.worksheet+xml"/>'
        for k in range(n_sheets)
    )
    return (
        XML_HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.spreadsheetml.sheet.main+xml"/>'
        f"{sheets}"
        f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.spreadsheetml.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        f'<Override PartName="/docProps/app.xml" ContentType="{_CT}.extended-properties+xml"/>'
        "</Types>"
    )


def _workbook(sheets: list[tuple[str, str | None]]) -> str:
    entries = "".join(
        f'<sheet name={quoteattr(name)} sheetId="{k + 1}" r:id="rId{k + 1}"/>'
        for k, (name, _) in enumerate(sheets)
    )
    filters = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{k}" hidden="1">'
        f"{escape(_quoted(name))}!{_absolute(ref)}</definedName>"
        for k, (name, ref) in enumerate(sheets)
        if ref
    )
    return (
        XML_HEAD + f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
        '<bookViews><workbookView activeTab="0"/></bookViews>'
        f"<sheets>{entries}</sheets>"
        + (f"<definedNames>{filters}</definedNames>" if filters else "")
        + "</workbook>"
    )


def _quoted(sheet_name: str) -> str:
    return "'" + sheet_name.replace("'", "''") + "'"


def _absolute(ref: str) -> str:
    """A3:F10 → $A$3:$F$10."""
    return ":".join(
        "$" + corner.rstrip("0123456789") + "$" + corner.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        for corner in ref.split(":")
    )


def _workbook_rels(n_sheets: int) -> str:
    sheets = "".join(
        f'<Relationship Id="rId{k + 1}" Type="{REL_NS}/worksheet" '
        f'Target="worksheets/sheet{k + 1}.xml"/>'
        for k in range(n_sheets)
    )
    return (
        XML_HEAD + f'<Relationships xmlns="{PACKAGE_REL_NS}">{sheets}'
        f'<Relationship Id="rId{n_sheets + 1}" Type="{REL_NS}/styles" Target="styles.xml"/>'
        "</Relationships>"
    )
