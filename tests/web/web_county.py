"""Helpers of the web tests: the test county, uploads, imports, users."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

SEED, N_ORGS = 1, 400
EXTRA = "补充摸排表.csv"


@dataclass
class County:
    folder: Path  # the generated department files
    extra: Path  # the supplementary survey (misspelt names)
    town_a: str
    town_b: str


def uploads(*paths: Path) -> list[SimpleUploadedFile]:
    files = []
    for path in paths:
        items = sorted(path.iterdir()) if path.is_dir() else [path]
        files += [
            SimpleUploadedFile(p.name, p.read_bytes())
            for p in items
            if p.is_file() and not p.name.startswith(".")
        ]
    return files


def import_files(user, *paths: Path, commit: bool = True):
    """Upload, analyse and (by default) commit, as the import page does (tasks run inline)."""
    from liangxin.web.imports.actions import do_commit, do_upload
    from liangxin.web.imports.models import ImportBatch

    batch = do_upload(user, uploads(*paths))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.READY, batch.error
    if commit:
        do_commit(batch, user)
        batch.refresh_from_db()
        assert batch.status == ImportBatch.Status.COMMITTED, batch.error
    return batch


def misspelt(name: str) -> str:
    """One character of the trade name typed wrong: “天浩(临沂)贸易有限公司” → “…贸汇有限公司”."""
    core = re.sub(r"(股份)?有限(责任)?公司$", "", name)
    last = len(core) - 1
    return name[:last] + ("汇" if name[last] != "汇" else "沭") + name[last + 1 :]


def doubtful(name: str) -> str:
    """One character of the trade name typed wrong and another legal form written: close enough
    to its organization to be a candidate, not close enough to link (docs/linkage.md)."""
    return re.sub(r"(股份)?有限(责任)?公司$", "合伙企业", misspelt(name))


def write_extra_survey(path: Path, orgs) -> None:
    lines = ["单位名称,所属镇街,从业人员数,正式党员数,经营状况"]
    lines += [f"{doubtful(o.name)},{o.town},12,1,正常经营" for o in orgs]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def make_user(username: str, **fields):
    from liangxin.web.accounts.actions import do_save_user

    return do_save_user(None, username, "pw-" + username, username, **fields)
