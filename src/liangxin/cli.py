"""Command line: ``liangxin build``, ``liangxin demo-data``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from liangxin.engine.intake.config import ManifestError


class BarProgress:
    """One progress bar per engine step, on the terminal."""

    def __init__(self) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self._bars = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()
        )
        self._bars.start()
        self._task = None

    def step(self, label: str, total: int | None = None) -> None:
        if self._task is not None:
            self._bars.update(
                self._task,
                completed=self._bars.tasks[self._task].total or 1,
                total=self._bars.tasks[self._task].total or 1,
            )
        self._task = self._bars.add_task(label, total=total)

    def advance(self, amount: int = 1) -> None:
        self._bars.advance(self._task, amount)

    def close(self) -> None:
        self.step("完成", total=1)
        self._bars.advance(self._task, 1)
        self._bars.stop()


def _build(args: argparse.Namespace) -> int:
    from liangxin.engine.build import build

    show = sys.stderr.isatty() if args.progress is None else args.progress
    progress = BarProgress() if show else None
    started = time.perf_counter()
    try:
        result = build(
            Path(args.input_dir), Path(args.out), manifest=args.manifest, progress=progress
        )
    except (FileNotFoundError, ManifestError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    for report in result.intake.files:
        print(report.summary())
        for note in report.notes:
            print(f"    {note}")
    orgs = result.reconciled.orgs
    print(
        f"共 {orgs.height} 个单位；关联 {result.reconciled.links.height} 行，退回 "
        f"{result.intake.rejects.height} 行，待人工确认 {result.reconciled.review.height} 条，"
        f"数据问题 {result.intake.problems.height} 处；用时 {time.perf_counter() - started:.1f} 秒"
    )
    print(f"结果已写入：{result.out_dir}")
    return 0


def _policy(args: argparse.Namespace) -> int:
    from liangxin.engine.policies import PolicyError, copy_policy, policy_text

    try:
        if args.action == "show":
            print(policy_text(args.name), end="")
        else:
            print(
                f"已复制策略 {args.name} 到 {copy_policy(args.name, args.file)}，修改后用 --policy 文件路径 使用"
            )
    except (PolicyError, FileExistsError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    return 0


def _demo_data(args: argparse.Namespace) -> int:
    from liangxin.synth import generate

    summary = generate(Path(args.out_dir), seed=args.seed, n_orgs=args.orgs)
    print(summary)
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="liangxin", description="两新组织党建“两个覆盖”台账系统")
    commands = root.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="读取部门数据文件夹，关联比对，生成台账数据")
    build.add_argument("input_dir", help="部门数据文件夹（.xlsx/.xls/.csv）")
    build.add_argument("--out", required=True, help="输出文件夹")
    build.add_argument(
        "--manifest", type=Path, help="清单与表头对照文件（默认：输入文件夹中的 liangxin.toml）"
    )
    build.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="显示进度条（终端中默认显示）",
    )
    build.set_defaults(run=_build)

    policy = commands.add_parser("policy", help="查看或复制政策预设")
    actions = policy.add_subparsers(dest="action", required=True)
    show = actions.add_parser("show", help="显示一个政策预设")
    show.add_argument("name")
    init = actions.add_parser("init", help="复制一个政策预设以便修改")
    init.add_argument("name")
    init.add_argument("file")
    policy.set_defaults(run=_policy)

    demo = commands.add_parser("demo-data", help="生成一个模拟县的部门数据（含标准答案）")
    demo.add_argument("out_dir")
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--orgs", type=int, default=3000, help="单位数（默认3000）")
    demo.set_defaults(run=_demo_data)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
