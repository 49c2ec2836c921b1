"""Command line: ``liangxin build``, ``liangxin policy``, ``liangxin demo-data``."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

from liangxin.argparse_zh import ArgumentParser, use_chinese
from liangxin.engine.dates import date_text
from liangxin.engine.intake.config import ManifestError


class BarProgress:
    """The engine's steps as bars on the terminal: one bar per step, finished when the next starts."""

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
        self._current = None

    def _finish_current(self) -> None:
        if self._current is not None:
            total = self._bars.tasks[self._current].total or 1
            self._bars.update(self._current, total=total, completed=total)

    def step(self, label: str, total: int | None = None) -> None:
        self._finish_current()
        self._current = self._bars.add_task(label, total=total or 1)

    def advance(self, amount: int = 1) -> None:
        self._bars.advance(self._current, amount)

    def close(self) -> None:
        self._finish_current()
        self._bars.stop()


def _as_of(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”应写成 年-月-日，如 2020-07-01") from None


def _build(args: argparse.Namespace) -> int:
    from liangxin.engine.build import FolderError, build
    from liangxin.engine.outputs.changes import PreviousError
    from liangxin.engine.policies import PolicyError, load_policy

    if args.engine == "spark":
        return _build_province(args)
    show = sys.stderr.isatty() if args.progress is None else args.progress
    started = time.perf_counter()
    try:
        policy = load_policy(args.policy)
        progress = BarProgress() if show else None
        result = build(
            Path(args.input_dir),
            Path(args.out),
            policy=policy,
            as_of=args.as_of,
            manifest=args.manifest,
            previous=args.previous,
            progress=progress,
        )
    except (FolderError, ManifestError, PolicyError, PreviousError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except PermissionError as exc:
        print(
            f"错误：无法写入“{exc.filename}”（没有权限，或文件正在 Excel 中打开）", file=sys.stderr
        )
        return 2
    for report in result.intake.files:
        print(report.summary())
        for note in report.notes:
            print(f"    {note}")
    orgs = result.screened.orgs
    if not result.intake.files:
        print(f"⚠ 文件夹“{args.input_dir}”中没有文件，写出的台账为空")
    elif not orgs.height:
        print(
            "⚠ 没有读到任何单位（需要市场主体登记、社会组织登记、税务、社保参保或镇街摸排数据），"
            "写出的台账为空"
        )
    total = result.metrics["total"]["all"]
    print(
        f"共 {orgs.height} 个单位（纳入统计 {total['total']} 个）；关联 "
        f"{result.reconciled.links.height} 行，退回 {result.intake.rejects.height} 行，"
        f"待人工确认 {result.reconciled.review.height} 条，数据问题 "
        f"{result.intake.problems.height} 处；应建未建 {total['due_unestablished']} 个，"
        f"未完成任务 {result.screened.tasks.height} 项；策略 {policy.name}，统计日 "
        f"{date_text(args.as_of)}；用时 {time.perf_counter() - started:.1f} 秒"
    )
    print(f"结果已写入：{result.out_dir}")
    if result.unwritten:
        print(f"⚠ 以下文件未能写入，其余已写入：{'；'.join(result.unwritten)}", file=sys.stderr)
        return 1
    return 0


def _build_province(args: argparse.Namespace) -> int:
    """``liangxin build --engine spark``: a folder of county folders, each built as
    ``liangxin build`` builds it, plus the province's roll-up (docs/architecture.md §7)."""
    from liangxin.engine.policies import PolicyError, load_policy

    if args.previous or args.manifest:
        print("错误：--engine spark 暂不支持 --previous 和 --manifest", file=sys.stderr)
        return 2
    started = time.perf_counter()
    try:
        policy = load_policy(args.policy)
        from liangxin.province.spark import build_province, session

        spark = session(args.master)
    except PolicyError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except ImportError:
        print("错误：未安装 PySpark，请运行 pip install 'liangxin[province]'", file=sys.stderr)
        return 2
    try:
        result = build_province(spark, Path(args.input_dir), Path(args.out), policy, args.as_of)
    except NotADirectoryError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    finally:
        spark.stop()
    province = result.province
    total = province.total.filter(kind="all")
    built = len(result.counties) - province.failed.height
    print(
        f"共 {len(result.counties)} 个县区，已生成 {built} 个；纳入统计 "
        f"{total['total'].sum()} 个单位；跨县区同一信用代码 "
        f"{province.cross_county['credit_code'].n_unique()} 个；用时 "
        f"{time.perf_counter() - started:.1f} 秒"
    )
    for row in province.problems.iter_rows(named=True):
        where = f"{row['city']}{row['county']}"
        what = f"文件“{row['file']}”" if row["file"] else "未能生成"
        print(f"⚠ {where}：{what}：{row['error']}", file=sys.stderr)
    print(f"结果已写入：{args.out}（各县区一个文件夹，全省汇总在“全省汇总”）")
    return 1 if province.failed.height else 0


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


def _columns(args: argparse.Namespace) -> int:
    from liangxin.engine.intake import read_extracts
    from liangxin.engine.intake.config import MANIFEST_NAME, ManifestError
    from liangxin.engine.intake.templates import describe, write_templates

    folder = Path(args.input_dir)
    if not folder.is_dir():
        print(f"错误：找不到文件夹「{folder}」", file=sys.stderr)
        return 2
    try:
        intake = read_extracts(folder)
    except ManifestError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    for report in intake.files:
        print("\n".join(describe(report)))
    asking = [r for r in intake.files if r.questions]
    if args.write:
        written = write_templates(folder / MANIFEST_NAME, intake.files)
        print(f"已写入 {MANIFEST_NAME}：{len(written)} 类文件的逐列含义，请核对后保存。")
    elif asking:
        print(f"{len(asking)} 个文件需要确认；核对无误后可加 --write 写入 {MANIFEST_NAME}。")
    return 0


def _layouts(text: str) -> str:
    from liangxin.synth.headers import LAYOUTS

    unknown = [x for x in text.split(",") if x and x not in LAYOUTS]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"未知的版式：{'、'.join(unknown)}（可选：{'、'.join(LAYOUTS)}）"
        )
    return text


def _dial(text: str) -> tuple[str, float]:
    name, sep, share = text.partition("=")
    try:
        return name.strip(), float(share)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"应写成 类别=比例（如 zihao_slip=0.05），而不是「{text}」"
        ) from None


def _demo_data(args: argparse.Namespace) -> int:
    from liangxin.synth import HeaderStyle, generate
    from liangxin.synth.variation import PROFILES

    try:
        variation = PROFILES[args.mess].dialled(dict(args.dial or []))
    except ValueError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    if args.province:
        from liangxin.synth.province import generate_province

        try:
            print(generate_province(Path(args.out_dir), args.seed, args.orgs, args.province))
        except ValueError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 2
        return 0
    layouts = frozenset(x for x in (args.layouts or "").split(",") if x)
    style = HeaderStyle(args.headers, layouts)
    summary = generate(
        Path(args.out_dir), seed=args.seed, n_orgs=args.orgs, headers=style, variation=variation
    )
    print(summary)
    return 0


# --- liangxin web: the web system of record ---------------------------------------------


def _web(args: argparse.Namespace) -> int:
    return manage_web(args.web_args)


def manage_web(argv: list[str]) -> int:
    from liangxin.web import manage

    return manage(argv)


def _add_web(commands) -> None:
    web = commands.add_parser(
        "web",
        help="网页系统：liangxin web demo（演示）、migrate、runserver、worker、adduser 等",
        add_help=False,
    )
    web.add_argument("web_args", nargs=argparse.REMAINDER)
    web.set_defaults(run=_web)
    audit = commands.add_parser(
        "audit", help="审计日志：liangxin audit verify 校验完整性；purge 清理超过保存期限的记录"
    )
    audit.add_argument("audit_action", choices=["verify", "purge"])
    audit.set_defaults(run=lambda args: manage_web(["audit", args.audit_action]))


# ----------------------------------------------------------------------------------------------


def parser() -> argparse.ArgumentParser:
    root = ArgumentParser(prog="liangxin", description="两新组织党建“两个覆盖”台账系统")
    commands = root.add_subparsers(dest="command", required=True, metavar="命令")

    build = commands.add_parser("build", help="读取部门数据文件夹，关联比对，生成台账数据")
    build.add_argument(
        "input_dir", metavar="部门数据文件夹", help="部门数据文件（.xlsx/.xls/.csv）所在文件夹"
    )
    build.add_argument("--out", required=True, metavar="输出文件夹", help="结果写入的文件夹")
    build.add_argument(
        "--policy",
        default="linyi-2020",
        metavar="政策",
        help="政策预设名称或策略文件（默认 linyi-2020）",
    )
    build.add_argument(
        "--as-of",
        type=_as_of,
        default=date.today(),
        metavar="年-月-日",
        help="统计日（年-月-日，默认今天），据此判断任务是否逾期",
    )
    build.add_argument(
        "--previous", type=Path, metavar="上期结果", help="上一期的输出文件夹，据此生成变更说明"
    )
    build.add_argument(
        "--manifest",
        type=Path,
        metavar="清单文件",
        help="清单与表头对照文件（默认：输入文件夹中的 liangxin.toml）",
    )
    build.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="显示进度条（终端中默认显示）",
    )
    build.add_argument(
        "--engine",
        choices=["polars", "spark"],
        default="polars",
        metavar="引擎",
        help="polars（默认）：一个县；spark：一个省，输入文件夹中每个县区一个文件夹（或 市/县区）",
    )
    build.add_argument(
        "--master",
        default="local[2]",
        metavar="Spark地址",
        help="--engine spark 时的 Spark 集群地址（默认 local[2]：本机两个核）",
    )
    build.set_defaults(run=_build)

    policy = commands.add_parser("policy", help="查看或复制政策预设")
    actions = policy.add_subparsers(dest="action", required=True, metavar="操作")
    show = actions.add_parser("show", help="显示一个政策预设")
    show.add_argument("name", metavar="预设名称")
    init = actions.add_parser("init", help="复制一个政策预设以便修改")
    init.add_argument("name", metavar="预设名称")
    init.add_argument("file", metavar="新文件")
    policy.set_defaults(run=_policy)

    demo = commands.add_parser("demo-data", help="生成一个模拟县的部门数据（含标准答案）")
    demo.add_argument("out_dir", metavar="输出文件夹")
    demo.add_argument("--seed", type=int, default=1, metavar="种子", help="随机种子（默认1）")
    demo.add_argument("--orgs", type=int, default=3000, metavar="单位数", help="单位数（默认3000）")
    demo.add_argument(
        "--headers",
        choices=["default", "vocabulary", "held-out"],
        default="default",
        metavar="写法",
        help="表头写法来源：default 默认模板，vocabulary 系统已知写法，held-out 留出的写法（检验识别）",
    )
    demo.add_argument(
        "--layouts",
        type=_layouts,
        default="",
        metavar="版式",
        help="表头版式，逗号分隔：stacked 多行表头，codes 栏次行，broken 表头换行，units 单位",
    )
    demo.add_argument(
        "--mess",
        choices=["default", "hard"],
        default="default",
        metavar="程度",
        help="名称变化程度：default（默认）或 hard（简称、地名层级、同音字号、同字号异行业等全开）",
    )
    demo.add_argument(
        "--dial",
        type=_dial,
        action="append",
        metavar="类别=比例",
        help="单独设定一类名称变化的比例，如 --dial zihao_slip=0.05（见 docs/linkage.md）",
    )
    demo.add_argument(
        "--province",
        type=int,
        metavar="县区数",
        help="生成一个省：这么多个县区（市/县区 文件夹，规模不一，少数单位在两个县区登记），"
        "--orgs 为全省单位数",
    )
    demo.set_defaults(run=_demo_data)

    columns = commands.add_parser("columns", help="列出每个文件各列的建议含义，供核对")
    columns.add_argument("input_dir", metavar="数据文件夹", help="部门数据文件夹")
    columns.add_argument(
        "--write", action="store_true", help="把需要确认的文件的逐列含义写入 liangxin.toml"
    )
    columns.set_defaults(run=_columns)

    _add_web(commands)
    return root


def main(argv: list[str] | None = None) -> int:
    use_chinese()
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["web"]:
        # everything after ``web`` is Django's, options such as --help included
        return manage_web(argv[1:])
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
