"""A realistic synthetic county: department extracts as officials send them, with ground truth.

``generate(out_dir, seed, n_orgs)`` writes the extracts into ``out_dir`` and the truth into
``out_dir/.truth/`` (see ``truth.py``). The same seed and size give byte-identical files.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from liangxin.synth.codes import is_valid
from liangxin.synth.county import build_world
from liangxin.synth.extracts import WRITERS
from liangxin.synth.extracts.context import Context, WrittenFile
from liangxin.synth.extracts.insurance import FIXED_HEADERS, MANIFEST_FILE
from liangxin.synth.headers import HeaderStyle
from liangxin.synth.model import World
from liangxin.synth.truth import TruthRows, write_columns, write_world
from liangxin.synth.variation import DEFAULT, Variation

TRUTH_DIR = ".truth"


@dataclass(frozen=True)
class Summary:
    out_dir: Path
    files: tuple[WrittenFile, ...]
    rows_per_kind: dict[str, int]
    n_orgs: int
    n_towns: int
    seconds: float

    def __str__(self) -> str:
        kinds = "，".join(f"{kind} {n}" for kind, n in self.rows_per_kind.items())
        return (
            f"已生成模拟数据：{self.n_orgs} 个单位，{self.n_towns} 个镇街，{len(self.files)} 个文件"
            f"（数据行：{kinds}），用时 {self.seconds:.1f} 秒 → {self.out_dir}"
        )


def generate(
    out_dir: Path,
    seed: int = 1,
    n_orgs: int = 3000,
    headers: HeaderStyle | None = None,
    variation: Variation = DEFAULT,
    moved_in: Sequence[str] = (),
) -> Summary:
    """Write a county of ``n_orgs`` organizations into ``out_dir`` (new, empty, or holding an
    earlier synthetic county, which is replaced); ``headers`` varies its templates' headers,
    ``variation`` dials how names stray; ``moved_in`` are credit codes of organizations of
    another county that this one registers too (moved here, not yet struck off there)."""
    started = time.perf_counter()
    out_dir = Path(out_dir)
    _clear_previous(out_dir)
    truth_dir = out_dir / TRUTH_DIR
    truth_dir.mkdir(parents=True, exist_ok=True)
    world = build_world(seed, n_orgs, variation)
    _move_in(world, moved_in)
    sink = TruthRows(truth_dir / "rows.csv")
    ctx = Context(world, out_dir, sink, style=headers or HeaderStyle(), fixed_headers=FIXED_HEADERS)
    try:
        for write in WRITERS:
            write(ctx)
    finally:
        sink.close()
    write_world(world, truth_dir, [asdict(f) for f in ctx.files])
    write_columns(ctx.columns, truth_dir / "columns.csv")
    return Summary(
        out_dir=out_dir,
        files=tuple(ctx.files),
        rows_per_kind=dict(sink.per_kind),
        n_orgs=n_orgs,
        n_towns=len(world.towns),
        seconds=time.perf_counter() - started,
    )


def _move_in(world: World, codes: Sequence[str]) -> None:
    """The first registered enterprises with a valid code take over ``codes``."""
    takers = (o for o in world.orgs if o.in_registry and o.kind == "enterprise")
    for org, code in zip((o for o in takers if is_valid(o.credit_code)), codes, strict=False):
        org.credit_code = code


def _clear_previous(out_dir: Path) -> None:
    if not out_dir.exists():
        return
    previous = out_dir / TRUTH_DIR / "county.json"
    if previous.exists():
        for entry in json.loads(previous.read_text(encoding="utf-8")).get("files", []):
            (out_dir / entry["name"]).unlink(missing_ok=True)
        (out_dir / MANIFEST_FILE).unlink(missing_ok=True)
        shutil.rmtree(out_dir / TRUTH_DIR)
    if any(out_dir.iterdir()):
        raise FileExistsError(f"输出文件夹「{out_dir}」中已有其他文件，请指定一个新的或空的文件夹")


__all__ = ["HeaderStyle", "Summary", "generate"]
