"""Backup and restore (等保 三级 数据备份恢复) of the database and the uploaded files.

An archive (``.tar``) holds ``manifest.json``, the database (SQLite: a consistent copy made with
SQLite's backup API; PostgreSQL: ``pg_dump -Fc`` of one snapshot) and ``files/`` (uploads). The
manifest records, for every table, its row count and a SHA-256 over its rows, computed on the
same snapshot as the copy, and the SHA-256 of every member of the archive. A restore checks the
archive against the manifest first, restores, then recomputes counts and checksums on the
restored database and refuses to report success unless every table matches.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

FORMAT = 1
MANIFEST = "manifest.json"


class BackupError(RuntimeError):
    pass


# --- the database, through its own client library ------------------------------------------


def vendor(db: dict) -> str:
    engine = db["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"不支持的数据库：{engine}")


def _pg_connect(db: dict, **kwargs):
    import psycopg

    return psycopg.connect(
        dbname=db["NAME"],
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        **kwargs,
    )


def _pg_env(db: dict) -> dict:
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[name] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _tables(cursor, kind: str) -> list[str]:
    if kind == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    else:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
            "AND table_type = 'BASE TABLE' ORDER BY table_name"
        )
    return [row[0] for row in cursor.fetchall()]


def table_digests(cursor, kind: str) -> dict[str, dict]:
    """Row count and SHA-256 of every table, rows in primary-key (first column) order."""
    out = {}
    for table in _tables(cursor, kind):
        cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')
        digest, count = hashlib.sha256(), 0
        while rows := cursor.fetchmany(2000):
            for row in rows:
                digest.update(repr(tuple(row)).encode())
                digest.update(b"\n")
                count += 1
        out[table] = {"count": count, "sha256": digest.hexdigest()}
    return out


def database_digests(db: dict) -> dict[str, dict]:
    if vendor(db) == "sqlite":
        with contextlib.closing(sqlite3.connect(db["NAME"])) as connection:
            return table_digests(connection.cursor(), "sqlite")
    with _pg_connect(db) as connection, connection.cursor() as cursor:
        return table_digests(cursor, "postgresql")


# --- backup ----------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _dump(db: dict, folder: Path) -> tuple[str, dict]:
    """The database into ``folder``; (member name, table digests of the same snapshot)."""
    if vendor(db) == "sqlite":
        target = folder / "database.sqlite3"
        with (
            contextlib.closing(sqlite3.connect(db["NAME"])) as source,
            contextlib.closing(sqlite3.connect(target)) as copy,
        ):
            source.backup(copy)
        with contextlib.closing(sqlite3.connect(target)) as copy:
            copy.execute("PRAGMA journal_mode=DELETE")
            return target.name, table_digests(copy.cursor(), "sqlite")
    target = folder / "database.dump"
    with _pg_connect(db) as connection:
        connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
        digests = table_digests(connection.cursor(), "postgresql")
        result = subprocess.run(
            [
                "pg_dump",
                "-Fc",
                "--no-owner",
                f"--snapshot={snapshot}",
                "-f",
                str(target),
                db["NAME"],
            ],
            env=_pg_env(db),
            capture_output=True,
            text=True,
        )
        connection.rollback()
    if result.returncode != 0:
        raise BackupError(f"pg_dump 失败：{result.stderr.strip()}")
    return target.name, digests


def backup(path: Path, db: dict, media_root: Path) -> dict:
    """Write the archive; return its manifest."""
    path = Path(path)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        database, digests = _dump(db, folder)
        members = {database: _sha256(folder / database)}
        files = []
        if Path(media_root).is_dir():
            for item in sorted(Path(media_root).rglob("*")):
                if item.is_file():
                    name = "files/" + item.relative_to(media_root).as_posix()
                    members[name] = _sha256(item)
                    files.append((item, name))
        manifest = {
            "format": FORMAT,
            "vendor": vendor(db),
            "created": datetime.datetime.now(datetime.UTC).isoformat(),
            "database": database,
            "tables": digests,
            "members": members,
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(folder / database, arcname=database)
            for item, name in files:
                tar.add(item, arcname=name)
        partial.replace(path)  # a backup is either complete or absent
    return manifest


# --- restore ---------------------------------------------------------------------------------


@dataclass
class RestoreReport:
    tables: int
    rows: int
    files: int
    mismatches: list[str]

    @property
    def ok(self) -> bool:
        return not self.mismatches


def read_archive(path: Path, folder: Path) -> dict:
    """Unpack into ``folder`` and check every member against the manifest."""
    with tarfile.open(path, "r") as tar:
        tar.extractall(folder, filter="data")
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"备份文件缺少或损坏了清单：{exc}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError("备份文件格式不受支持")
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {
        MANIFEST
    }
    if present != set(manifest["members"]):
        raise BackupError("备份文件中的文件与清单不符")
    for name, digest in manifest["members"].items():
        if _sha256(folder / name) != digest:
            raise BackupError(f"备份文件已损坏：{name} 的校验值不符")
    return manifest


def _load(db: dict, source: Path) -> None:
    if vendor(db) == "sqlite":
        target = Path(db["NAME"])
        for suffix in ("-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        with (
            contextlib.closing(sqlite3.connect(source)) as backup_db,
            contextlib.closing(sqlite3.connect(target)) as live,
        ):
            backup_db.backup(live)
        return
    result = subprocess.run(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
         "-d", db["NAME"], str(source)],
        env=_pg_env(db),
        capture_output=True,
        text=True,
    )  # fmt: skip
    if result.returncode != 0:
        raise BackupError(f"pg_restore 失败：{result.stderr.strip()}")


def restore(path: Path, db: dict, media_root: Path) -> RestoreReport:
    """Replace the database and the uploaded files by the archive's, then verify them."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        manifest = read_archive(Path(path), folder)
        if manifest["vendor"] != vendor(db):
            raise BackupError(f"备份来自 {manifest['vendor']}，不能恢复到 {vendor(db)}")
        _load(db, folder / manifest["database"])
        media_root = Path(media_root)
        if media_root.exists():
            shutil.rmtree(media_root)
        files = 0
        if (folder / "files").is_dir():
            shutil.copytree(folder / "files", media_root)
            files = sum(1 for p in media_root.rglob("*") if p.is_file())
        media_root.mkdir(parents=True, exist_ok=True)
    restored = database_digests(db)
    mismatches = [
        f"{table}：备份 {want['count']} 行，恢复后 {restored.get(table, {}).get('count')} 行"
        if restored.get(table, {}).get("count") != want["count"]
        else f"{table}：内容校验值不符"
        for table, want in manifest["tables"].items()
        if restored.get(table) != want
    ]
    rows = sum(t["count"] for t in manifest["tables"].values())
    return RestoreReport(len(manifest["tables"]), rows, files, mismatches)
