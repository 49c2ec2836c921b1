import json
import os
import re
import subprocess
import sys
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from stdnum.cn import uscc
from synth_readback import N_ORGS, column, normal, normal_code, read_truth

from liangxin.engine.schema import SCHEMAS
from liangxin.synth import generate, writers
from liangxin.synth.names import name_key
from liangxin.synth.tables import Column, Row, Table

KINDS = {"registry", "social_org", "tax", "insurance", "survey", "party_org", "instructor", "park"}
GROUP_LABELS = {"基本情况", "基本信息", "经营情况", "党建情况", "党员情况"}
PLACEHOLDERS = {"（空白）", "无", "/", "——"}


def test_every_kind_is_written_and_counted(county, truth_rows):
    assert {f.kind for f in county.files} == KINDS
    assert county.rows_per_kind == Counter(r["kind"] for r in truth_rows)
    assert sum(f.rows for f in county.files) == len(truth_rows)
    names = {f.name for f in county.files}
    assert "临沭县市场主体名录.xlsx" in names
    assert any(re.fullmatch(r".+(镇|街道|乡)两新组织摸排表\.xlsx", n) for n in names)
    assert (county.out_dir / "liangxin.toml").exists()


def _generate_in_subprocess(out: Path, hash_seed: str) -> None:
    code = "import sys; from pathlib import Path; from liangxin.synth import generate; "
    code += "generate(Path(sys.argv[1]), seed=3, n_orgs=300)"
    env = os.environ | {"PYTHONHASHSEED": hash_seed}
    subprocess.run([sys.executable, "-c", code, str(out)], check=True, env=env)


def test_same_seed_gives_identical_bytes(tmp_path):
    _generate_in_subprocess(tmp_path / "a", "1")
    _generate_in_subprocess(tmp_path / "b", "2")
    files_a = sorted(
        p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file()
    )
    files_b = sorted(
        p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file()
    )
    assert files_a == files_b and len(files_a) > 15
    for rel in files_a:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


def test_truth_codes_are_valid_and_tell_the_kind(truth_orgs):
    prefix = {"association": "51", "service_org": "52", "foundation": "53", "law_firm": "31"}
    for org in truth_orgs.values():
        assert uscc.is_valid(org["credit_code"]), org
        if org["kind"] == "individual_business":
            expected = "92"
        else:
            expected = prefix.get(org["subtype"], "91")
        assert org["credit_code"].startswith(expected), org
    assert len({o["credit_code"] for o in truth_orgs.values()}) == N_ORGS


def test_registered_names_are_unique_after_normalisation(truth_orgs):
    keys = [name_key(o["name"]) for o in truth_orgs.values()]
    assert len(set(keys)) == len(keys)


def _identity_matches(cells: list[str | None], org: dict[str, str]) -> bool:
    key = name_key(org["name"])
    return any(c and (normal_code(c) == org["credit_code"] or name_key(c) == key) for c in cells)


def _one_character_away(cells: list[str | None], org: dict[str, str]) -> bool:
    key = name_key(org["name"])
    for c in cells:
        if c:
            other = name_key(c)
            if len(other) == len(key) and sum(a != b for a, b in zip(other, key, strict=True)) == 1:
                return True
    return False


def test_truth_rows_point_at_the_physical_rows(truth_rows, truth_orgs, sheets, county):
    entities = {
        "party_org": {p["party_org_id"]: p["name"] for p in read_truth(county, "party_orgs.csv")},
        "instructor": {
            i["instructor_id"]: i["name"] for i in read_truth(county, "instructors.csv")
        },
        "park": {p["park_id"]: p["name"] for p in read_truth(county, "parks.csv")},
    }
    for row in truth_rows:
        cells = sheets[(row["source_file"], row["source_sheet"])].rows.get(int(row["source_row"]))
        assert cells, row
        if row["expect"] == "link":
            org = truth_orgs[row["org_id"]]
            if "name_typo" in row["mess"]:
                assert _one_character_away(cells, org), (row, cells)
            else:
                assert _identity_matches(cells, org), (row, cells)
        elif row["expect"] == "ref":
            assert entities[row["kind"]][row["entity_id"]] in cells, (row, cells)
        else:
            assert row["expect"] == "reject" and row["mess"] == "garbage"
            assert not any(c and uscc.is_valid(normal_code(c)) for c in cells), cells
            assert not any(
                c and name_key(c) in {name_key(o["name"]) for o in truth_orgs.values()}
                for c in cells
            )


def test_rows_left_out_of_the_truth_carry_no_organization(truth_rows, sheets):
    listed = {(r["source_file"], r["source_sheet"], int(r["source_row"])) for r in truth_rows}
    for (file, sheet), content in sheets.items():
        for number, cells in content.rows.items():
            if (file, sheet, number) not in listed:
                assert not any(c and uscc.is_valid(normal_code(c)) for c in cells), (
                    file,
                    sheet,
                    number,
                )


def _rate(truth_rows, kind: str, tag: str) -> float:
    rows = [r for r in truth_rows if r["kind"] == kind and r["expect"] == "link"]
    return sum(tag in r["mess"].split(";") for r in rows) / len(rows)


@pytest.mark.parametrize(
    ("kind", "tag", "low", "high"),
    [
        ("survey", "code_missing", 0.15, 0.28),
        ("survey", "code_typo", 0.015, 0.05),
        ("survey", "name_variant", 0.25, 0.45),
        ("survey", "name_typo", 0.0, 0.01),
        ("insurance", "code_missing", 0.04, 0.12),
        ("tax", "code_typo", 0.015, 0.05),
        ("tax", "name_variant", 0.12, 0.3),
        ("registry", "name_variant", 0.0, 0.0),
        ("registry", "duplicate", 0.001, 0.02),
        ("registry", "conflict_town", 0.002, 0.03),
        ("insurance", "conflict_employees", 0.02, 0.15),
    ],
)
def test_mess_rates(truth_rows, kind, tag, low, high):
    assert low <= _rate(truth_rows, kind, tag) <= high


def test_coverage_of_the_departments(truth_rows, truth_orgs):
    linked = defaultdict(set)
    for r in truth_rows:
        if r["expect"] == "link":
            linked[r["kind"]].add(r["org_id"])
    active_enterprises = {
        i
        for i, o in truth_orgs.items()
        if o["kind"] == "enterprise" and o["reg_status"] in ("存续", "在业", "开业")
    }
    assert 0.6 <= len(linked["tax"] & active_enterprises) / len(active_enterprises) <= 0.8
    assert 0.4 <= len(linked["survey"]) / N_ORGS <= 0.6
    assert 0.45 <= len(linked["insurance"]) / N_ORGS <= 0.7
    newly_found = {i for i, o in truth_orgs.items() if o["in_registry"] == "false"}
    assert newly_found and newly_found <= linked["survey"]
    assert not newly_found & (linked["registry"] | linked["social_org"])


def test_code_typos_fail_and_formats_normalise(truth_rows, truth_orgs, sheets):
    seen = Counter()
    for row in truth_rows:
        tags = row["mess"].split(";")
        if row["expect"] != "link" or not {"code_typo", "code_format", "fullwidth"} & set(tags):
            continue
        cells = sheets[(row["source_file"], row["source_sheet"])].rows[int(row["source_row"])]
        code = truth_orgs[row["org_id"]]["credit_code"]
        candidates = [normal_code(c) for c in cells if c and len(normal_code(c)) == 18]
        if "code_typo" in tags:
            assert (
                candidates
                and code not in candidates
                and not any(uscc.is_valid(c) for c in candidates)
            )
            seen["typo"] += 1
        elif "code_format" in tags:
            assert code in candidates and not any(c == code for c in cells)
            seen["format"] += 1
    assert seen["typo"] > 20 and seen["format"] > 10


def test_traps_are_recorded_both_ways(truth_orgs):
    pairs = {tuple(sorted((i, o["trap_of"]))) for i, o in truth_orgs.items() if o["trap_of"]}
    assert len(pairs) >= 6
    branches = lookalikes = 0
    for a, b in pairs:
        assert truth_orgs[a]["trap_of"] == b and truth_orgs[b]["trap_of"] == a
        na, nb = sorted((truth_orgs[a]["name"], truth_orgs[b]["name"]), key=len)
        if nb.endswith("分公司"):
            assert nb.startswith(na)
            branches += 1
        else:
            assert len(na) == len(nb) and sum(x != y for x, y in zip(na, nb, strict=True)) == 1
            lookalikes += 1
    assert branches >= 2 and lookalikes >= 3


def _known_headers() -> set[str]:
    return {normal(h) for schema in SCHEMAS.values() for f in schema.fields for h in f.headers}


def _unit_free(header: str) -> str:
    return re.sub(r"\((万元|元)\)$", "", normal(header))


def test_headers_are_those_of_the_schema_or_mapped(sheets, first_rows, county):
    manifest = tomllib.loads((county.out_dir / "liangxin.toml").read_text(encoding="utf-8"))
    known = _known_headers()
    for key, first in first_rows.items():
        for header in sheets[key].headers(first):
            if header and header not in GROUP_LABELS:
                mapped = header in manifest["headers"] and key[0] in manifest["files"]
                assert _unit_free(header) in known or mapped, (key, header)


def test_excel_sheets_have_titles_totals_and_stay_under_the_row_limit(sheets, first_rows):
    for (file, sheet), content in sheets.items():
        assert max(content.rows) < writers.EXCEL_MAX_ROWS
        if file.endswith(".xlsx") and (file, sheet) in first_rows:
            assert 1 in content.rows and first_rows[(file, sheet)] > 2
    totals = [c for c in sheets.values() if any(cells[0] == "合计" for cells in c.rows.values())]
    assert len(totals) >= 10


def test_excel_row_limit_is_guarded(tmp_path, monkeypatch):
    monkeypatch.setattr(writers, "EXCEL_MAX_ROWS", 10)
    rows = (Row((f"单位{i}",), "link", org_id="O1") for i in range(20))
    table = Table("表", [Column("单位名称")], rows)

    class Sink:
        def add(self, *args):
            pass

    with pytest.raises(ValueError, match="more rows than Excel allows"):
        writers.write_xlsx(tmp_path / "x.xlsx", "survey", [table], Sink())


def test_csv_encodings(county):
    for written in county.files:
        data = (county.out_dir / written.name).read_bytes()
        if written.encoding in ("gbk", "gb18030"):
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")
            assert "名称" in data.decode(written.encoding)
        elif written.encoding == "utf-8-sig":
            assert data.startswith(b"\xef\xbb\xbf")
        elif written.encoding == "utf-8":
            assert not data.startswith(b"\xef\xbb\xbf") and data.decode("utf-8")
    encodings = {f.kind: f.encoding for f in county.files if f.encoding}
    assert encodings["tax"] in ("gbk", "gb18030") and encodings["insurance"] in (
        "utf-8-sig",
        "utf-8",
    )
    assert any(f.encoding == "gbk" and f.kind == "social_org" for f in county.files)


def test_manifest_maps_the_unknown_header(county, sheets, first_rows):
    text = (county.out_dir / "liangxin.toml").read_text(encoding="utf-8")
    assert text.startswith("# 清单：文件类型（可选；系统能识别的可不写）\n[files]\n")
    manifest = tomllib.loads(text)
    assert manifest["headers"] == {"职工总数": "insured"}
    assert "职工总数" not in _known_headers()
    ((file, kind),) = manifest["files"].items()
    assert kind == "insurance"
    assert "职工总数" in sheets[(file, "")].headers(first_rows[(file, "")])


def _number(text: str) -> float:
    return float(re.sub("[,人万元]", "", text))


def test_truth_values_agree_with_the_authoritative_extract(
    truth_rows, truth_orgs, sheets, first_rows
):
    checked = Counter()
    for row in truth_rows:
        if row["expect"] != "link" or row["kind"] not in ("survey", "tax"):
            continue
        key = (row["source_file"], row["source_sheet"])
        headers = sheets[key].headers(first_rows[key])
        cells = sheets[key].rows[int(row["source_row"])]
        org = truth_orgs[row["org_id"]]
        if row["kind"] == "survey":
            assert _number(cells[column(headers, "从业人员数")]) == float(org["employees"])
            town = column(headers, "所属镇街", "所在镇街")
            assert org["town"] == (cells[town] if town is not None else row["source_sheet"])
            checked["survey"] += 1
        else:
            revenue = column(headers, "营业收入", "年度营业收入", "销售收入")
            value = _number(cells[revenue])
            if "(元)" in normal(headers[revenue]):
                value /= 10_000
            assert value == pytest.approx(float(org["revenue_wan"]), abs=0.005)
            checked["tax"] += 1
    assert checked["survey"] > 500 and checked["tax"] > 500


def test_party_orgs_and_units(county, truth_orgs):
    party = read_truth(county, "party_orgs.csv")
    assert {p["type"] for p in party} >= {"branch", "joint_branch"}
    assert {p["mode"] for p in party} >= {"single", "joint", "affiliated"}
    joint = [p for p in party if p["mode"] == "joint"]
    assert all(2 <= len(p["unit_org_ids"].split(";")) <= 8 for p in joint)
    assert any(len(p["unit_org_ids"].split(";")) > 5 for p in joint)
    single = [p for p in party if p["mode"] != "joint"]
    assert any(int(p["formal_members"]) < 3 for p in single)
    for p in single:
        (unit,) = p["unit_org_ids"].split(";")
        members = truth_orgs[unit]["formal_members"]
        assert members == p["formal_members"], (p, truth_orgs[unit])


def test_county_json(county):
    data = json.loads((county.out_dir / ".truth" / "county.json").read_text(encoding="utf-8"))
    assert data["county"] == "临沭县" and data["city"] == "临沂市" and data["province"] == "山东省"
    assert len(data["towns"]) == len(set(data["towns"])) >= 10
    assert all(re.search("(镇|街道|乡)$", t) for t in data["towns"])
    assert data["seed"] == 7 and data["n_orgs"] == N_ORGS


def test_regenerating_replaces_an_earlier_county_only(tmp_path):
    generate(tmp_path / "c", seed=1, n_orgs=200)
    generate(tmp_path / "c", seed=2, n_orgs=300)
    data = json.loads((tmp_path / "c" / ".truth" / "county.json").read_text(encoding="utf-8"))
    written = {f["name"] for f in data["files"]} | {"liangxin.toml", ".truth"}
    assert {p.name for p in (tmp_path / "c").iterdir()} == written
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "台账.xlsx").write_bytes(b"")
    with pytest.raises(FileExistsError):
        generate(tmp_path / "other")


def test_a_province_has_skewed_counties_and_organizations_in_two_counties(tmp_path):
    import csv
    import random

    from liangxin.synth.province import MIN_COUNTY, county_sizes, generate_province

    sizes = county_sizes(100_000, 12, random.Random(3))
    assert sum(sizes) == 100_000 and min(sizes) >= MIN_COUNTY
    assert max(sizes) > 3 * min(sizes)  # skewed, not equal shares
    summary = generate_province(tmp_path, seed=2, n_orgs=400, counties=2, moved=2)
    assert sum(summary.sizes.values()) == 400 and summary.moved == 2
    with (tmp_path / ".truth" / "moved.csv").open(encoding="utf-8") as f:
        moved = list(csv.DictReader(f))
    target = tmp_path / moved[0]["to"] / ".truth" / "orgs.csv"
    with target.open(encoding="utf-8") as f:
        codes = {r["credit_code"] for r in csv.DictReader(f)}
    assert {m["credit_code"] for m in moved} <= codes
