"""Screening policies as data: TOML presets shipped with the package, or a user's own file.

A policy is found by preset name (``linyi-2020``) or by the path of a TOML file. Users copy a
preset (``copy_policy``), edit it and pass the file.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from liangxin.engine.policies.load import parse_policy
from liangxin.engine.policies.model import (
    Calendar,
    CalendarTask,
    CapacityLimit,
    ExtraCategory,
    ExtraSingleRequired,
    PartyOrgLimits,
    Policy,
    PolicyError,
    Target,
    Thresholds,
)

__all__ = [
    "DEFAULT_POLICY",
    "PRESETS",
    "Calendar",
    "CalendarTask",
    "CapacityLimit",
    "ExtraCategory",
    "ExtraSingleRequired",
    "PartyOrgLimits",
    "Policy",
    "PolicyError",
    "Target",
    "Thresholds",
    "copy_policy",
    "load_policy",
    "policy_text",
]

PRESETS = ("linyi-2020", "shunyi-2017", "national")
DEFAULT_POLICY = "linyi-2020"


def policy_text(name: str) -> str:
    """The TOML text of a preset."""
    if name not in PRESETS:
        raise PolicyError(f"没有名为“{name}”的预置策略（可选：{'、'.join(PRESETS)}）")
    return resources.files(__name__).joinpath(f"{name}.toml").read_text(encoding="utf-8")


def load_policy(name_or_path: str | Path = DEFAULT_POLICY) -> Policy:
    """A preset by name, or the policy in a TOML file; PolicyError when missing or invalid."""
    if str(name_or_path) in PRESETS:
        return parse_policy(policy_text(str(name_or_path)), f"{name_or_path}.toml")
    path = Path(name_or_path)
    if not path.is_file():
        raise PolicyError(
            f"找不到策略“{name_or_path}”：既不是预置策略（{'、'.join(PRESETS)}），也不是策略文件"
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PolicyError(f"策略文件 {path.name}：应为 UTF-8 编码的文本") from exc
    return parse_policy(text, path.name)


def copy_policy(name: str, dest: str | Path) -> Path:
    """Write a preset's TOML to ``dest`` (a file, or a folder to hold ``<name>.toml``)."""
    target = Path(dest)
    if target.is_dir():
        target = target / f"{name}.toml"
    if target.exists():
        raise PolicyError(f"文件已存在，未覆盖：{target}")
    target.write_text(policy_text(name), encoding="utf-8")
    return target
