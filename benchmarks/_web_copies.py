"""A city-sized database from a county-sized one, for ``web_load.py --copies N``.

Loading 1,000,000 organizations through the web import path takes hours (see
docs/performance.md), so the pages are measured on the imported county with every organization
and its source rows copied N − 1 times in SQL. Each copy is a different organization to the
database: its own 单位编号 (``~k`` appended), a name with the copy's digit appended, a credit
code with one digit changed, and its own source rows (file name ``~k``). Copies stay in their
organization's 镇街, so each 镇街 becomes N times as large. Party organizations, 销号 tasks and
the audit log are not copied: the four city-scale pages (docs/performance.md §3) read organizations and source rows.
"""

from __future__ import annotations

import time

import psycopg

COPY_MARK = "~"  # in org_id: an organization made by this script


def multiply(database_url: str, copies: int) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        originals = conn.execute(
            "SELECT count(*) FROM orgs_org WHERE org_id NOT LIKE %s", (f"%{COPY_MARK}%",)
        ).fetchone()[0]
        made = conn.execute(
            "SELECT count(*) FROM orgs_org WHERE org_id LIKE %s", (f"%{COPY_MARK}%",)
        ).fetchone()[0]
        if made:
            print(f"数据库已含复制的单位（{made:,} 个），不再复制")
            return
        started = time.perf_counter()
        org_columns = _columns(conn, "orgs_org", skip={"id", "org_id", "name", "credit_code"})
        record_columns = _columns(
            conn, "sources_sourcerecord", skip={"id", "org_id", "source_file"}
        )
        for k in range(1, copies):
            with conn.transaction():
                conn.execute(
                    f"""INSERT INTO orgs_org (org_id, name, credit_code, {org_columns})
                        SELECT org_id || '{COPY_MARK}{k}', name || '{k}',
                               CASE WHEN length(credit_code) = 18
                                    THEN overlay(credit_code PLACING '{k}' FROM 9 FOR 1)
                                    ELSE credit_code END,
                               {org_columns}
                        FROM orgs_org WHERE org_id NOT LIKE '%{COPY_MARK}%'"""
                )
                conn.execute(
                    f"""INSERT INTO sources_sourcerecord (org_id, source_file, {record_columns})
                        SELECT copy.id, r.source_file || '{COPY_MARK}{k}',
                               {_prefixed(record_columns, "r")}
                        FROM sources_sourcerecord r
                        JOIN orgs_org o ON o.id = r.org_id
                        JOIN orgs_org copy ON copy.org_id = o.org_id || '{COPY_MARK}{k}'"""
                )
            print(f"  第 {k + 1}/{copies} 份……", flush=True)
        # as after any bulk load: statistics for the planner and a visibility map, so that
        # counts can use index-only scans (autovacuum would get there later, during the test)
        conn.execute("VACUUM ANALYZE")
        orgs, records = conn.execute(
            "SELECT (SELECT count(*) FROM orgs_org), (SELECT count(*) FROM sources_sourcerecord)"
        ).fetchone()
        print(
            f"复制为 {copies} 倍：{originals:,} → {orgs:,} 个单位，来源行 {records:,}，"
            f"用时 {time.perf_counter() - started:.0f} 秒"
        )


def _columns(conn, table: str, skip: set[str]) -> str:
    names = conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
        "ORDER BY ordinal_position",
        (table,),
    ).fetchall()
    return ", ".join(f'"{name}"' for (name,) in names if name not in skip)


def _prefixed(columns: str, alias: str) -> str:
    return ", ".join(f"{alias}.{c.strip()}" for c in columns.split(","))
