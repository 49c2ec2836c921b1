"""The web system under load (docs/performance.md §3): PostgreSQL, gunicorn, locust, all on loopback.

    pip install -e '.[bench]'
    python benchmarks/web_load.py --database-url postgres://postgres@127.0.0.1:5432/lx_bench \\
        --fresh-db --orgs 100000 --data /tmp/data/d100k --scenario issue7 --export
    python benchmarks/web_load.py --database-url postgres://postgres@127.0.0.1:5432/lx_1m \\
        --fresh-db --orgs 1000000 --scenario issue7 --export    # 1M, imported (≈ 20 min)
    python benchmarks/web_load.py --orgs 100000 --data /tmp/data/d100k --scenario issue6

Steps, each printed with its figures:
  1. the database (``--database-url`` or ``DATABASE_URL``; ``--fresh-db`` drops and creates it)
     is migrated and, when it holds no organizations, loaded with the generated county of
     ``--orgs`` (``--data`` an existing county folder, else generated) through the web import
     path (``liangxin web demo --no-serve``: upload, analyse, commit): wall time, peak RSS;
     ``--copies N`` then copies every organization and its source rows in SQL until the
     database holds N times as many (``_web_copies.py``: 1M organizations from a 100k county
     in minutes instead of a 20-minute import);
  2. bench users are created with the app's ``do_save_user`` (``_web_setup.py``): a 县级管理员,
     a 镇街 user of the largest 镇街 and an 审计员;
  3. gunicorn serves the app with ``--workers`` processes on 127.0.0.1;
  4. ``--export``: the 县级管理员 downloads the whole county's 组织 list as xlsx: seconds, bytes,
     rows checked, peak RSS of the gunicorn workers;
  5. locust runs headless (``_web_locust.py``) for ``--duration``: per page the request count,
     failures, median, p95, p99; the command fails (exit 1) on any failed request, and with
     ``--p95`` on any page whose p95 is above it.
Nothing but 127.0.0.1 is contacted. The server and locust are stopped at the end.
"""

from __future__ import annotations

import argparse
import csv
import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from _common import county, measured
from _web_copies import multiply

HERE = Path(__file__).resolve().parent
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
SCENARIOS = {
    # name: (users, spawn rate per second, duration, think time, pages)
    "issue6": (50, 1, "5m", "0.5,2", "mix"),
    "issue7": (20, 2, "2m", "0.5,2", "pages"),
}
PAGES_TEXT = {
    "pages": "组织列表（按镇街） 3 : 组织详情 3 : 按名称搜索 2 : 首页 2",
    "mix": (
        "组织列表（按镇街） 3 : 组织详情 3 : 按名称搜索 2 : 首页 2 : 组织列表翻页 1 : "
        "组织列表（标志） 1 : 党组织列表 1 : 党组织详情 1 : 销号任务 1；审计员：审计日志 1 : 翻页 1"
    ),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--fresh-db", action="store_true", help="drop and create the database")
    parser.add_argument("--orgs", type=int, default=3000)
    parser.add_argument("--data", type=Path, help="an existing county folder of --orgs")
    parser.add_argument(
        "--copies", type=int, default=1, help="multiply the loaded county N times in SQL"
    )
    parser.add_argument("--data-root", type=Path, default=Path("/tmp/liangxin-bench"))
    parser.add_argument("--scenario", choices=SCENARIOS, default="issue7")
    parser.add_argument("--users", type=int)
    parser.add_argument("--rate", type=float, help="users started per second")
    parser.add_argument("--duration", help="e.g. 90s, 5m")
    parser.add_argument("--wait", help="think time MIN,MAX seconds between a user's requests")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--p95", type=float, help="fail when a page's p95 (ms) is above this")
    parser.add_argument("--export", action="store_true", help="time the full-county export")
    parser.add_argument("--no-load", action="store_true", help="skip locust")
    parser.add_argument("--out", type=Path, default=Path("/tmp/liangxin-bench/web"))
    args = parser.parse_args()

    url = urllib.parse.urlsplit(args.database_url)
    if not url.scheme.startswith("postgres") or url.hostname not in LOOPBACK:
        parser.error("--database-url (or DATABASE_URL) must be PostgreSQL on 127.0.0.1")
    users, rate, duration, wait, pages = SCENARIOS[args.scenario]
    users, rate = args.users or users, args.rate or rate
    duration, wait = args.duration or duration, args.wait or wait
    args.out.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "LIANGXIN_DATA_DIR": str(args.out / "data"),
        "LIANGXIN_SECRET_KEY": "liangxin-bench-only-secret",
        "LIANGXIN_AUDIT_KEY": "liangxin-bench-only-audit-key",
        "LIANGXIN_AS_OF": "2020-07-01",  # the generated county's 统计日
    }
    if args.fresh_db:
        fresh_database(args.database_url)
    load(args, env)
    if args.copies > 1:
        multiply(args.database_url, args.copies)
    config = args.out / "config.json"
    subprocess.run([sys.executable, str(HERE / "_web_setup.py"), str(config)], env=env, check=True)
    targets = json.loads(config.read_text(encoding="utf-8"))
    print(
        f"数据库：{targets['orgs']:,} 个单位；镇街用户：{targets['town']['name']}"
        f"（{targets['town']['orgs']:,} 个单位，最大的镇街）"
    )
    server = serve(args, env)
    try:
        if args.export:
            export(args, targets, server)
        if args.no_load:
            return 0
        print(
            f"\n用户模型（{args.scenario}）：{users} 个并发会话（县级管理员 : 镇街用户"
            f"{' : 审计员 = 1 : 2 : 1' if pages == 'mix' else ' = 1 : 2'}），每秒启动 {rate} 个，"
            f"各自先登录（GET 登录页取 csrftoken，POST 表单），然后循环：随机选一个页面请求，"
            f"收到完整响应后等待 {wait.replace(',', '–')} 秒（均匀分布）再发下一个请求；"
            f"持续 {duration}（含启动阶段；统计在全部用户启动后清零重计，登录不计入）。"
            f"页面权重 {PAGES_TEXT[pages]}。"
            f"gunicorn {args.workers} 个同步 worker；locust 与服务器在同一台 2 核机器上。",
            flush=True,
        )
        cpu = cpu_seconds(workers(server))
        stats = run_locust(args, env, config, users, rate, duration, wait, pages)
        cpu = cpu_seconds(workers(server)) - cpu
        total = sum(int(r["Request Count"]) for r in stats if r["Type"])
        print(
            f"gunicorn worker CPU：整个运行期间（含登录的口令哈希）{cpu:.0f} 秒，按稳定阶段请求数折算"
            f"每个请求不超过 {cpu / max(total, 1) * 1000:.0f} 毫秒（不含 PostgreSQL）；"
            f"结束时机器负载 {os.getloadavg()[0]:.1f}（2 核）"
        )
        return report(stats, args.p95)
    finally:
        stop(server)


def fresh_database(database_url: str) -> None:
    import psycopg

    url = urllib.parse.urlsplit(database_url)
    name = url.path.lstrip("/")
    admin = urllib.parse.urlunsplit(url._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    print(f"新建数据库 {name}")


def load(args, env: dict) -> None:
    """Migrate; import the county through the web import path when the database is empty."""
    folder = args.data or county(args.data_root, args.orgs)
    command = [sys.executable, "-m", "liangxin.web", "demo", "--data", str(folder), "--no-serve"]
    print(f"迁移、导入 {folder}（网页导入路径：上传、分析、提交）……", flush=True)
    wall, rss, out = measured(command, env)
    imported = re.search(r"已提交.*：(\d+) 个单位", out)
    if imported:
        print(f"导入 {int(imported.group(1)):,} 个单位：{wall:.1f} 秒，峰值内存 {rss:,.0f} MB")
    else:
        print(f"数据库已有数据，未重新导入（迁移与建用户 {wall:.1f} 秒）")


def serve(args, env: dict) -> subprocess.Popen:
    with open(args.out / "gunicorn.log", "w") as log:
        server = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "liangxin.web.wsgi:application",
                "--bind", f"127.0.0.1:{args.port}", "--workers", str(args.workers),
                "--timeout", "300", "--graceful-timeout", "5",
            ],
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{args.port}/login/", timeout=5).read()
            return server
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.5)
    stop(server)
    sys.exit(f"gunicorn 未能启动，见 {args.out / 'gunicorn.log'}")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def workers(server: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return [int(pid) for pid in children]


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of the processes so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set (VmHWM) since it started."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


def browser(port: int, login: dict) -> urllib.request.OpenerDirector:
    """A logged-in session, the way a browser logs in (csrftoken from the login page)."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    base = f"http://127.0.0.1:{port}"
    page = opener.open(f"{base}/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({**login, "csrfmiddlewaretoken": token, "next": "/"}).encode()
    request = urllib.request.Request(
        f"{base}/login/", data=form, headers={"Referer": f"{base}/login/"}
    )
    if "/login/" in opener.open(request).geturl():
        sys.exit("登录失败")
    return opener


def export(args, targets: dict, server: subprocess.Popen) -> None:
    import fastexcel

    opener = browser(args.port, targets["logins"]["admin"])
    before = {pid: peak_rss_mb(pid) for pid in workers(server)}
    path = args.out / "orgs.xlsx"
    started = time.perf_counter()
    with opener.open(f"http://127.0.0.1:{args.port}/orgs/export.xlsx", timeout=600) as response:
        first = None
        with open(path, "wb") as out:
            while chunk := response.read(1 << 16):
                first = first or time.perf_counter() - started
                out.write(chunk)
    seconds = time.perf_counter() - started
    after = {pid: peak_rss_mb(pid) for pid in workers(server)}
    rows = fastexcel.read_excel(str(path)).load_sheet(0, header_row=None).height
    pid = max(after, key=lambda p: after[p] - before.get(p, 0))
    print(
        f"全县导出 xlsx：{seconds:.1f} 秒（首字节 {first:.1f} 秒），{path.stat().st_size / 1e6:.1f} MB，"
        f"{rows:,} 行（单位 {targets['orgs']:,} 个 + 表头）；worker 峰值内存 "
        f"{before.get(pid, 0):,.0f} → {after[pid]:,.0f} MB",
        flush=True,
    )


def run_locust(args, env, config, users, rate, duration, wait, pages) -> list[dict]:
    prefix = args.out / f"{args.scenario}"
    command = [
        sys.executable, "-m", "locust", "-f", str(HERE / "_web_locust.py"), "--headless",
        "-u", str(users), "-r", str(rate), "-t", duration, "--stop-timeout", "10",
        "--host", f"http://127.0.0.1:{args.port}", "--csv", str(prefix), "--only-summary",
        "--loglevel", "WARNING", "--reset-stats",
    ]  # fmt: skip
    env = {
        **env,
        "LIANGXIN_BENCH_CONFIG": str(config),
        "LIANGXIN_BENCH_SCENARIO": pages,
        "LIANGXIN_BENCH_WAIT": wait,
    }
    with tempfile.TemporaryFile("w+") as log:
        done = subprocess.run(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        if done.returncode not in (0, 1):  # 1: some requests failed, reported below
            log.seek(0)
            sys.exit(f"locust 异常退出：\n{log.read()[-3000:]}")
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def report(stats: list[dict], p95_limit: float | None) -> int:
    print(f"\n{'页面':<16}{'请求':>8}{'失败':>6}{'中位':>8}{'p95':>8}{'p99':>8}{'最大':>8}（毫秒）")
    failures, slow = 0, []
    for row in stats:
        name = row["Name"] if row["Type"] else "合计"
        count, failed = int(row["Request Count"]), int(row["Failure Count"])
        p95 = float(row["95%"] or 0)
        failures += failed if row["Type"] else 0
        print(
            f"{name:<16}{count:>8}{failed:>6}{row['50%']:>8}{row['95%']:>8}{row['99%']:>8}"
            f"{float(row['Max Response Time']):>8.0f}"
        )
        if p95_limit and row["Type"] == "GET" and row["Name"] != "登录页" and p95 > p95_limit:
            slow.append(name)
    print(f"\n失败请求合计：{failures}")
    if slow:
        print(f"p95 超过 {p95_limit:.0f} 毫秒的页面：{'、'.join(slow)}")
    return 1 if failures or slow else 0


if __name__ == "__main__":
    sys.exit(main())
