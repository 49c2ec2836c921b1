"""Confirmed templates: a file's reading written down so the next file of the same template
needs no question — in ``liangxin.toml`` ([columns."pattern"]) or, on the web, per department.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from liangxin.engine.intake import FileReport
from liangxin.engine.intake.config import FileMapping, file_pattern
from liangxin.engine.labels import KIND_LABELS


def proposed(report: FileReport) -> FileMapping | None:
    """The reading of a file as a template to confirm: kind and each header's meaning."""
    kind = report.kind or report.proposed_kind
    if kind is None:
        return None
    headers: dict[str, str] = {}
    for c in report.columns:
        headers.setdefault(c.label, c.field)
    return FileMapping(kind, headers)


def describe(report: FileReport) -> list[str]:
    """The file's columns side by side with what they hold and the proposed meaning."""
    kind = report.kind or report.proposed_kind
    state = "需要确认" if report.questions else "无需确认"
    lines = [f"{report.file}（{KIND_LABELS[kind] if kind else '类型未知'}，{state}）"]
    if report.error:
        lines.append(f"  {report.error}")
    for c in report.columns:
        meaning = f"{c.field_label}（{c.field}）" if c.field else f"不用：{c.why}"
        mark = "？" if c.asks else " "
        where = f"{c.sheet}/" if c.sheet else ""
        samples = "、".join(c.samples) or "（空）"
        lines.append(
            f"  {mark} {where}第{c.position + 1}列「{c.label}」→ {meaning}；示例：{samples}"
        )
    return lines


def write_templates(manifest: Path, reports: list[FileReport]) -> list[str]:
    """Add a [columns."pattern"] section for each file that asks something; returns the
    patterns written. Patterns already in the manifest are left as the user wrote them."""
    text = manifest.read_text(encoding="utf-8-sig") if manifest.exists() else ""
    existing = tomllib.loads(text).get("columns", {}) if text else {}
    known = {file_pattern(p) for p in existing}
    written: list[str] = []
    sections = []
    for report in reports:
        mapping = proposed(report)
        pattern = file_pattern(report.file)
        if mapping is None or not report.questions or pattern in known or pattern in written:
            continue
        lines = [f"[columns.{json.dumps(pattern, ensure_ascii=False)}]"]
        lines.append(f'kind = "{mapping.kind.value}"  # {KIND_LABELS[mapping.kind]}')
        lines += [
            f"{json.dumps(h, ensure_ascii=False)} = {json.dumps(f)}"
            for h, f in mapping.headers.items()
        ]
        sections.append("\n".join(lines))
        written.append(pattern)
    if sections:
        head = text.rstrip() + "\n\n" if text.strip() else ""
        manifest.write_text(head + "\n\n".join(sections) + "\n", encoding="utf-8")
    return written
