"""数据备份恢复 (docs/security.md §7): a backup of the database and the uploads restores, on SQLite and on
PostgreSQL, to the same rows (count and checksum of every table) and the same files; a damaged
archive is refused."""

from __future__ import annotations

import hashlib
import json
import os
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from liangxin.web.audit.models import AuditLog
from liangxin.web.ops.backup import BackupError, backup, database_digests, restore
from liangxin.web.orgs.models import Org
from liangxin.web.sources.models import SourceRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def scratch(tmp_path):
    """An empty database of the same kind as the test database, to restore into."""
    db = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        db["NAME"] = str(tmp_path / "restored.sqlite3")
        yield db
        return
    import psycopg

    name = f"liangxin_restore_{os.getpid()}"
    admin = dict(dbname="postgres", user=db.get("USER") or None, host=db.get("HOST") or None)
    with psycopg.connect(**admin, port=db.get("PORT") or None, autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {name}")
        c.execute(f"CREATE DATABASE {name}")
    db["NAME"] = name
    yield db
    with psycopg.connect(**admin, port=db.get("PORT") or None, autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def files(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file()
    }


def test_backup_and_restore_round_trip(tmp_path, scratch):
    archive = tmp_path / "backup.tar"
    manifest = backup(archive, connection.settings_dict, settings.MEDIA_ROOT)
    tables = manifest["tables"]
    assert tables[Org._meta.db_table]["count"] == Org.objects.count() > 0
    assert tables[AuditLog._meta.db_table]["count"] == AuditLog.objects.count()
    assert tables[SourceRecord._meta.db_table]["count"] == SourceRecord.objects.count()
    uploads = files(Path(settings.MEDIA_ROOT))
    assert uploads  # the county's uploaded files

    media = tmp_path / "media"
    report = restore(archive, scratch, media)
    assert report.ok and report.mismatches == []
    assert report.rows == sum(t["count"] for t in tables.values())
    assert database_digests(scratch) == tables  # every table: same count, same checksum
    assert files(media) == uploads


def rewrite(archive: Path, change) -> None:
    """Unpack, let ``change`` edit the folder, pack again (what damage or tampering does)."""
    folder = archive.parent / "unpacked"
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")
    change(folder)
    with tarfile.open(archive, "w") as tar:
        for item in sorted(folder.rglob("*")):
            if item.is_file():
                tar.add(item, arcname=item.relative_to(folder).as_posix())


def test_a_damaged_archive_is_refused(tmp_path, scratch):
    archive = tmp_path / "backup.tar"
    manifest = backup(archive, connection.settings_dict, settings.MEDIA_ROOT)

    def damage(folder):
        path = folder / manifest["database"]
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0xFF
        path.write_bytes(bytes(data))

    rewrite(archive, damage)
    with pytest.raises(BackupError, match="已损坏"):
        restore(archive, scratch, tmp_path / "media")


def test_the_restored_database_is_checked_against_the_manifest(tmp_path, scratch):
    archive = tmp_path / "backup.tar"
    backup(archive, connection.settings_dict, settings.MEDIA_ROOT)

    def claim_one_more_org(folder):
        manifest = json.loads((folder / "manifest.json").read_text())
        manifest["tables"][Org._meta.db_table]["count"] += 1
        (folder / "manifest.json").write_text(json.dumps(manifest))

    rewrite(archive, claim_one_more_org)
    report = restore(archive, scratch, tmp_path / "media")
    assert not report.ok
    assert report.mismatches == [
        f"{Org._meta.db_table}：备份 {Org.objects.count() + 1} 行，恢复后 {Org.objects.count()} 行"
    ]
