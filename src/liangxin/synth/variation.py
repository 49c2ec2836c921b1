"""Name variation as officials really write names, and hard negatives, each with a dial.

The default county keeps every new class off (its files stay as they were); ``HARD`` turns them
all on at rates seen in real county extracts. ``liangxin demo-data --mess hard --dial 名称=比例``
sets any one of them.

Per name written by a department that spells names its own way (not the registry):
  short_form    the organizational form left off: 华泰商贸, 华泰商贸公司 for 华泰商贸有限公司
  stock_form    股份有限公司 written 股份公司
  bracket_part  a bracketed part left off: (普通合伙), (有限合伙)
  region_level  the region word absent, of another level (临沂市/山东省 for 临沭县), or the
                镇街 inside (临沭县蛟龙镇华泰商贸有限公司)
  zihao_slip    one 字号 character replaced by a homophone or look-alike (泰/太, 鑫/新)
  layout        a line break or ideographic space inside, brackets of the other width
Shares of organizations (hard negatives, each a registered organization with its own code):
  other_trade   the same 字号 in another trade (华泰机械 and 华泰建材)
  other_level   the same 字号 and trade registered at another level (临沭县华泰机械有限公司 and
                临沂市华泰机械有限公司)
  branch        a company and its own 分公司 in the county
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, fields, replace

from liangxin.synth import pools
from liangxin.synth.names import OrgName, short_region, town_short

# Homophones and look-alikes officials slip on in a 字号 (both directions).
SLIPS = dict(
    pair
    for a, b in (
        ("泰", "太"),
        ("鑫", "新"),
        ("华", "化"),
        ("丰", "峰"),
        ("源", "元"),
        ("达", "大"),
        ("盛", "胜"),
        ("昌", "长"),
        ("隆", "龙"),
        ("宏", "红"),
        ("祥", "翔"),
        ("福", "富"),
        ("兴", "星"),
        ("金", "今"),
        ("利", "力"),
        ("德", "得"),
        ("通", "同"),
        ("佳", "嘉"),
        ("瑞", "锐"),
        ("汇", "会"),
        ("辉", "晖"),
        ("恒", "衡"),
        ("鹏", "朋"),
        ("宇", "雨"),
    )
    for pair in ((a, b), (b, a))
)
_FORMS = ("股份有限公司", "有限责任公司", "有限公司")
_BRACKETED = re.compile(r"[（(][^（）()]{1,6}[)）]$")


@dataclass(frozen=True)
class Variation:
    short_form: float = 0.0
    stock_form: float = 0.0
    bracket_part: float = 0.0
    region_level: float = 0.0
    zihao_slip: float = 0.0
    layout: float = 0.0
    other_trade: float = 0.0
    other_level: float = 0.0
    branch: float = 0.001

    def dialled(self, dials: dict[str, float]) -> Variation:
        """A copy with some dials set; an unknown name or a share outside 0…1 is refused."""
        known = {f.name for f in fields(self)}
        for name, share in dials.items():
            if name not in known:
                raise ValueError(f"未知的变化类别「{name}」，可选：{'、'.join(sorted(known))}")
            if not 0 <= share <= 1:
                raise ValueError(f"变化类别「{name}」的比例应在 0 到 1 之间，而不是 {share}")
        return replace(self, **dials)


DEFAULT = Variation()
HARD = Variation(
    short_form=0.15,
    stock_form=0.5,
    bracket_part=0.4,
    region_level=0.12,
    zihao_slip=0.03,
    layout=0.03,
    other_trade=0.02,
    other_level=0.006,
    branch=0.003,
)
PROFILES = {"default": DEFAULT, "hard": HARD}


def vary(
    label: OrgName,
    name: str,
    county: str,
    town: str,
    v: Variation,
    rng: random.Random,
    in_list: bool = False,
) -> tuple[str, list[str]]:
    """``name`` (the organization's name or a variant of it) as one more department writes it;
    ``in_list``: one of several names in a cell, where a line break separates names."""
    tags = []
    if v.stock_form and "股份有限公司" in name and rng.random() < v.stock_form:
        name = name.replace("股份有限公司", "股份公司", 1)
        tags.append("stock_form")
    if v.short_form and rng.random() < v.short_form:
        form = next((f for f in _FORMS if name.endswith(f)), None)
        if form and len(name) - len(form) >= 4:
            name = name[: -len(form)] + rng.choice(("", "公司"))
            tags.append("short_form")
    if v.bracket_part and _BRACKETED.search(name) and rng.random() < v.bracket_part:
        name = _BRACKETED.sub("", name)
        tags.append("bracket_part")
    if v.region_level and rng.random() < v.region_level:
        changed = _region_level(label, name, county, town, rng)
        if changed != name:
            name = changed
            tags.append("region_level")
    if v.zihao_slip and label.zihao and rng.random() < v.zihao_slip:
        at = [i for i, c in enumerate(label.zihao) if c in SLIPS]
        start = name.find(label.zihao)
        if at and start >= 0:
            i = start + rng.choice(at)
            name = name[:i] + SLIPS[name[i]] + name[i + 1 :]
            tags.append("zihao_slip")
    if v.layout and rng.random() < v.layout and len(name) > 4:
        i = rng.randrange(2, len(name) - 1)
        breaks = ("\u3000", " ") if in_list else ("\n", "\u3000", "\r\n")
        name = name[:i] + rng.choice(breaks) + name[i:]
        tags.append("layout")
    return name, tags


def _region_level(label: OrgName, name: str, county: str, town: str, rng: random.Random) -> str:
    """Region word dropped, replaced by another level's, or the 镇街 written inside."""
    region = label.region
    levels = [county, short_region(county), pools.CITY, pools.PROVINCE, ""]
    if region and name.startswith(region):
        rest = name[len(region) :]
        if rng.random() < 0.3:
            return f"{region}{town_short(town)}{rest}" if region == county else f"{county}{rest}"
        return rng.choice([r for r in levels if r != region]) + rest
    if label.zihao and name.startswith(label.zihao):
        return rng.choice(levels[:4]) + name
    return name
