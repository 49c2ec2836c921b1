"""Header styles of the generator: held-out spellings and layouts, with the truth still right."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest

from liangxin.engine.intake import read_extracts
from liangxin.engine.intake.headers import header_key
from liangxin.engine.intake.vocabulary import held_out_spellings
from liangxin.engine.schema import SCHEMAS, Kind
from liangxin.synth import HeaderStyle, generate
from liangxin.synth.scoring import read_truth_rows

LAYOUTS = frozenset({"stacked", "codes", "broken", "units"})


@pytest.fixture(scope="module")
def county(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("held-out")
    generate(folder, seed=5, n_orgs=600, headers=HeaderStyle("held-out", LAYOUTS))
    return folder


def _columns(folder: Path) -> list[dict]:
    with (folder / ".truth" / "columns.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _bare(text: str) -> str:
    return header_key(text.replace("\n", ""))[0]


def test_headers_come_from_the_held_out_half(county: Path) -> None:
    kinds = {f["name"]: Kind(f["kind"]) for f in _file_list(county)}
    checked = 0
    for column in _columns(county):
        kind, name = kinds[column["file"]], column["field"]
        if not name or column["header"] == "职工总数":  # the manifest's header stays
            continue
        held = {_bare(t) for t in held_out_spellings(kind).get(name, ())}
        default = _bare(SCHEMAS[kind].field(name).headers[0])
        assert _bare(column["header"]) in held | {default}, column
        checked += 1
    assert checked > 100


def test_one_file_keeps_one_spelling_per_field(county: Path) -> None:
    """Line breaks and units follow each sheet's default template; the words do not change."""
    seen: dict[tuple[str, str], set[str]] = {}
    for column in _columns(county):
        seen.setdefault((column["file"], column["field"]), set()).add(_bare(column["header"]))
    assert all(len(headers) == 1 for headers in seen.values())


def test_layouts_are_written_and_every_truth_row_is_still_a_data_row(county: Path) -> None:
    headers = [c["header"] for c in _columns(county)]
    assert any("\n" in h for h in headers)  # broken cells
    assert any(header_key(h.replace("\n", ""))[1] in ("人", "名", "个") for h in headers)
    intake = read_extracts(county)
    assert not [r.error for r in intake.files if r.error]
    read = pl.concat(
        [f.select("source_file", "source_sheet", "source_row") for f in intake.records.values()]
    ).with_columns(pl.col("source_sheet").fill_null(""))
    truth = read_truth_rows(county / ".truth").filter(pl.col("expect") != "reject")
    missing = truth.join(read, on=["source_file", "source_sheet", "source_row"], how="anti")
    assert missing.height == 0, missing.head()


def _file_list(folder: Path) -> list[dict]:
    import json

    return json.loads((folder / ".truth" / "county.json").read_text(encoding="utf-8"))["files"]


def test_demo_data_options(tmp_path: Path, capsys) -> None:
    from liangxin.cli import main

    with pytest.raises(SystemExit):
        main(["demo-data", str(tmp_path / "a"), "--layouts", "stacked,diagonal"])
    assert "未知的版式：diagonal" in capsys.readouterr().err
    out = tmp_path / "b"
    assert main(["demo-data", str(out), "--orgs", "200", "--headers", "vocabulary"]) == 0
    assert (out / ".truth" / "columns.csv").exists()
