"""The user's manifest and header mapping (``liangxin.toml`` in the input folder or ``--manifest``).

```toml
[files]              # 清单：文件名 = 文件类型
"2020年社保.csv" = "insurance"
[headers]            # 表头对照：原表头 = 标准字段
"职工总数" = "insured"
[columns."社保参保单位名单*.csv"]   # 一类文件（文件名中的数字记作 *）的类型与逐列含义
kind = "insurance"
"职工总数" = "insured"
"经办人" = ""        # 空：此列不用
```
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from liangxin.engine.schema import SCHEMAS, Kind

MANIFEST_NAME = "liangxin.toml"


class ManifestError(ValueError):
    pass


@dataclass(frozen=True)
class FileMapping:
    """A confirmed reading of one template: its kind and what each header means ("" = unused)."""

    kind: Kind
    headers: dict[str, str]


@dataclass(frozen=True)
class IntakeConfig:
    file_kinds: dict[str, Kind] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)  # raw header → canonical field
    templates: dict[str, FileMapping] = field(default_factory=dict)  # file pattern → mapping

    def for_file(self, name: str) -> tuple[Kind | None, dict[str, str], set[str]]:
        """(kind, header → field, headers not used) that apply to one file."""
        mapping = self.templates.get(file_pattern(name))
        if mapping is None:
            return self.file_kinds.get(name), self.headers, set()
        used = {h: f for h, f in mapping.headers.items() if f}
        unused = {h for h, f in mapping.headers.items() if not f}
        return self.file_kinds.get(name, mapping.kind), {**self.headers, **used}, unused

    def merged(self, templates: dict[str, FileMapping]) -> IntakeConfig:
        """This config with more remembered templates (the manifest's own win)."""
        return IntakeConfig(self.file_kinds, self.headers, {**templates, **self.templates})


def file_pattern(name: str) -> str:
    """A file name with its numbers (years, months, dates, versions) as *: the same template
    sent again next month has the same pattern."""
    return re.sub(r"\d+", "*", Path(name).name)


def _toml_place(message: str) -> str:
    """Where the TOML reader stopped, in words (its own text is English)."""
    place = re.search(r"\(at line (\d+), column (\d+)\)", message)
    if place:
        return f"第{place[1]}行第{place[2]}列附近"
    return "文件末尾" if "end of document" in message else ""


def load_config(path: Path | None) -> IntakeConfig:
    if path is None or not path.exists():
        return IntakeConfig()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ManifestError(f"清单文件「{path.name}」不是 UTF-8 编码的文本") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(
            f"清单文件「{path.name}」格式错误：{_toml_place(str(exc))}写法不符合 TOML 格式"
            "（检查引号是否成对、每行是否为 名称 = 值、同一节是否写了两次）"
        ) from exc
    unknown = set(data) - {"files", "headers", "columns"}
    if unknown:
        raise ManifestError(f"清单文件「{path.name}」含未知的节：{'、'.join(sorted(unknown))}")
    kinds = {}
    for file, kind in data.get("files", {}).items():
        try:
            kinds[file] = Kind(kind)
        except ValueError:
            allowed = "、".join(k.value for k in Kind)
            raise ManifestError(
                f"清单文件「{path.name}」[files] 中「{file}」的类型“{kind}”无效，应为：{allowed}"
            ) from None
    known_fields = {f.name for schema in SCHEMAS.values() for f in schema.fields}
    headers = {}
    for header, name in data.get("headers", {}).items():
        if name not in known_fields:
            raise ManifestError(
                f"清单文件「{path.name}」[headers] 中「{header}」对应的字段“{name}”不存在"
            )
        headers[header] = name
    templates = {}
    for pattern, table in data.get("columns", {}).items():
        columns = dict(table)
        try:
            kind = Kind(columns.pop("kind", ""))
        except ValueError:
            raise ManifestError(
                f'清单文件「{path.name}」[columns."{pattern}"] 缺少有效的 kind（文件类型）'
            ) from None
        own = {f.name for f in SCHEMAS[kind].fields}
        for header, name in columns.items():
            if name and name not in own:
                raise ManifestError(
                    f'清单文件「{path.name}」[columns."{pattern}"] 中「{header}」对应的字段“{name}”'
                    f"不是{kind.value}的字段"
                )
        templates[file_pattern(pattern)] = FileMapping(kind, columns)
    return IntakeConfig(kinds, headers, templates)
