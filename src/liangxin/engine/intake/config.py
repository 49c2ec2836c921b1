"""The user's manifest and header mapping (``liangxin.toml`` in the input folder or ``--manifest``).

```toml
[files]              # 清单：文件名 = 文件类型
"2020年社保.csv" = "insurance"
[headers]            # 表头对照：原表头 = 标准字段
"职工总数" = "insured"
```
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from liangxin.engine.schema import SCHEMAS, Kind

MANIFEST_NAME = "liangxin.toml"


class ManifestError(ValueError):
    pass


@dataclass(frozen=True)
class IntakeConfig:
    file_kinds: dict[str, Kind] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)  # raw header → canonical field


def load_config(path: Path | None) -> IntakeConfig:
    if path is None or not path.exists():
        return IntakeConfig()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ManifestError(f"清单文件「{path.name}」格式错误：{exc}") from exc
    unknown = set(data) - {"files", "headers"}
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
    return IntakeConfig(kinds, headers)
