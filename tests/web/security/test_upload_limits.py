"""资源控制: what one upload may cost is limited by settings and checked before any analysis —
size while receiving, then the xlsx's zip directory, sheets, rows and cells while streaming."""

from __future__ import annotations

import os
import struct
import threading
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from web_county import uploads

from liangxin.web.imports.limits import Limits, Refused, check_file
from liangxin.web.imports.models import ImportBatch
from liangxin.web.jobs.models import Job

pytestmark = pytest.mark.django_db

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    "{sheets}</Types>"
)
SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{n}.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    "<sheets>{sheets}</sheets></workbook>"
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    "{rels}</Relationships>"
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>统一社会信用代码</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>单位名称</t></is></c>'
    '<c r="C1" t="inlineStr"><is><t>参保人数</t></is></c></row>'
)


def workbook(path: Path, rows: int, sheets: int = 1, row_xml: str | None = None) -> Path:
    """A real xlsx written as a raw zip, the sheet streamed in: millions of rows, a small file."""
    row_xml = row_xml or (
        '<row><c t="inlineStr"><is><t>91330100MA2XXXXX1X</t></is></c>'
        '<c t="inlineStr"><is><t>某某科技有限公司</t></is></c><c><v>12</v></c></row>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        types = "".join(SHEET_TYPE.format(n=n) for n in range(1, sheets + 1))
        archive.writestr("[Content_Types].xml", CONTENT_TYPES.format(sheets=types))
        archive.writestr("_rels/.rels", RELS)
        archive.writestr(
            "xl/workbook.xml",
            WORKBOOK.format(
                sheets="".join(
                    f'<sheet name="表{n}" sheetId="{n}" r:id="rId{n}"/>'
                    for n in range(1, sheets + 1)
                )
            ),
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            WORKBOOK_RELS.format(
                rels="".join(
                    f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/'
                    f'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>'
                    for n in range(1, sheets + 1)
                )
            ),
        )
        for n in range(1, sheets + 1):
            with archive.open(f"xl/worksheets/sheet{n}.xml", "w", force_zip64=True) as sheet:
                sheet.write(SHEET_HEAD.encode())
                block = (row_xml * 10_000).encode()
                for _ in range(rows // 10_000):
                    sheet.write(block)
                sheet.write((row_xml * (rows % 10_000)).encode())
                sheet.write(b"</sheetData></worksheet>")
    return path


class PeakMemory:
    """The process's resident memory, sampled every 5 ms while the block runs."""

    def __enter__(self):
        self.start = self.peak = self._rss()
        self._running = True
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._running = False
        self._thread.join()

    def _sample(self):
        while self._running:
            self.peak = max(self.peak, self._rss())
            time.sleep(0.005)

    @staticmethod
    def _rss() -> int:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    @property
    def growth_mb(self) -> float:
        return (self.peak - self.start) / 2**20


def test_a_two_million_row_workbook_is_refused_in_seconds_without_memory(client_for, tmp_path):
    path = workbook(tmp_path / "两百万行.xlsx", 2_000_000)
    assert path.stat().st_size < 3 * 2**20  # small on the wire, as in the report
    data = path.read_bytes()
    client = client_for("admin")
    batches, tasks = ImportBatch.objects.count(), Job.objects.count()
    with PeakMemory() as memory:
        started = time.monotonic()
        response = client.post("/imports/new/", {"files": [SimpleUploadedFile(path.name, data)]})
        seconds = time.monotonic() - started
    page = response.content.decode()
    assert response.status_code == 400
    assert "文件“两百万行.xlsx”第 1 个工作表超过 1,048,576 行" in page
    assert "LIANGXIN_UPLOAD_MAX_ROWS" in page
    assert seconds < 15, seconds  # the analysis this replaces took 10 minutes
    assert memory.growth_mb < 150, memory.growth_mb  # the analysis took 11.6 GB
    # nothing stored, nothing queued
    assert ImportBatch.objects.count() == batches and Job.objects.count() == tasks
    print(f"2,000,000 rows, {len(data) / 2**20:.2f} MB: refused in {seconds:.1f} s, "
          f"+{memory.growth_mb:.0f} MB")  # fmt: skip


def test_a_row_far_down_counts_as_all_the_rows_above_it(tmp_path):
    """A reader lays out every row and column up to the last cell's position."""
    far = '<row r="1048577"><c r="A1048577"><v>1</v></c></row>'
    path = workbook(tmp_path / "远.xlsx", 1, row_xml=far)
    with pytest.raises(Refused, match="超过 1,048,576 行"):
        check_file(path, path.name)
    wide = '<row r="2"><c r="XFD2"><v>1</v></c></row>'
    path = workbook(tmp_path / "宽.xlsx", 1, row_xml=wide)
    small = Limits(2**30, 2**30, 100, 1_048_576, 20_000)
    with pytest.raises(Refused, match="单元格超过 20,000 个"):
        check_file(path, path.name, small)  # 2 rows × 16,384 columns


def test_a_sheet_longer_than_its_header_says_is_refused(tmp_path):
    """The zip directory's sizes are claims: a sheet declared as 1,000 bytes (its checksum that
    of those 1,000) that holds 100,000 rows must not pass as small."""
    rows = '<row><c t="inlineStr"><is><t>某某科技有限公司</t></is></c></row>' * 100_000
    content = (SHEET_HEAD + rows + "</sheetData></worksheet>").encode()
    path = workbook(tmp_path / "谎报.xlsx", 1)
    with zipfile.ZipFile(path) as original:
        parts = {i.filename: original.read(i) for i in original.infolist()}
    parts["xl/worksheets/sheet1.xml"] = content
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in parts.items():
            archive.writestr(part, data)
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    claimed, checksum = 1000, zlib.crc32(content[:1000])
    for signature, crc_at, size_at, name_at in ((b"PK\x03\x04", 14, 22, 30),
                                                (b"PK\x01\x02", 16, 24, 46)):  # fmt: skip
        start = 0
        while (start := data.index(signature, start)) >= 0:
            if data[start + name_at : start + name_at + len(name)] == name:
                struct.pack_into("<I", data, start + crc_at, checksum)
                struct.pack_into("<I", data, start + size_at, claimed)
                break
            start += 4
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo(name.decode()).file_size == claimed
    with pytest.raises(Refused, match="实际内容与声明的大小不符"):
        check_file(path, path.name)


def test_a_damaged_workbook_is_refused_as_it_cannot_be_checked(tmp_path):
    path = workbook(tmp_path / "损坏.xlsx", 50_000)
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(64)
    path.write_bytes(bytes(data))
    with pytest.raises(Refused, match="文件“损坏.xlsx”已损坏或加密"):
        check_file(path, path.name)


def test_each_limit_is_a_setting_and_named_in_the_refusal(tmp_path):
    path = workbook(tmp_path / "表.xlsx", 5_000, sheets=3)
    check_file(path, path.name)  # within the defaults
    cases = [
        ({"LIANGXIN_UPLOAD_MAX_SHEETS": 2}, "有 3 个工作表", "LIANGXIN_UPLOAD_MAX_SHEETS"),
        ({"LIANGXIN_UPLOAD_MAX_ROWS": 4_000}, "超过 4,000 行", "LIANGXIN_UPLOAD_MAX_ROWS"),
        (
            {"LIANGXIN_UPLOAD_MAX_CELLS": 40_000},
            "单元格超过 40,000 个",
            "LIANGXIN_UPLOAD_MAX_CELLS",
        ),
        ({"LIANGXIN_UPLOAD_MAX_UNCOMPRESSED_MB": 1}, "解压后", "UNCOMPRESSED_MB"),
        ({"LIANGXIN_UPLOAD_MAX_MB": 0}, "大于 0 MB", "LIANGXIN_UPLOAD_MAX_MB"),
    ]
    for overrides, what, setting in cases:
        with override_settings(**overrides), pytest.raises(Refused) as refused:
            check_file(path, path.name)
        assert what in str(refused.value) and setting in str(refused.value), overrides
        assert "文件“表.xlsx”" in str(refused.value)


def test_a_csv_over_the_row_limit_is_refused(tmp_path):
    path = tmp_path / "参保.csv"
    path.write_text("单位名称,参保人数\n" + "某公司,3\n" * 3_000, encoding="utf-8")
    check_file(path, path.name)
    with override_settings(LIANGXIN_UPLOAD_MAX_ROWS=2_000), pytest.raises(Refused):
        check_file(path, path.name)


@override_settings(LIANGXIN_UPLOAD_MAX_MB=1)
def test_a_file_over_the_size_limit_is_not_even_stored(client_for, tmp_path):
    path = tmp_path / "大.csv"
    path.write_text("单位名称,参保人数\n" + "某公司,3\n" * 200_000, encoding="utf-8")
    assert path.stat().st_size > 2**20
    batches = ImportBatch.objects.count()
    response = client_for("admin").post("/imports/new/", {"files": uploads(path)})
    page = response.content.decode()
    assert response.status_code == 400
    assert "文件“大.csv”大于 1 MB" in page and "LIANGXIN_UPLOAD_MAX_MB" in page
    assert ImportBatch.objects.count() == batches


def test_the_upload_page_states_the_limits(client_for):
    page = client_for("admin").get("/imports/new/").content.decode()
    assert "每个文件不超过 200 MB（xlsx 解压后不超过 1,024 MB）" in page
    assert "每个工作表不超过 1,048,576 行，单元格总数不超过 50,000,000 个" in page


def test_a_normal_upload_still_passes(users, county):
    from web_county import import_files

    batch = import_files(users["admin"], county.extra, commit=False)
    assert batch.status == ImportBatch.Status.READY
