from __future__ import annotations

import pytest
from synth_readback import N_ORGS, Sheet, read_csv, read_truth, read_xlsx

from liangxin.synth import Summary, generate


@pytest.fixture(scope="session")
def county(tmp_path_factory) -> Summary:
    return generate(tmp_path_factory.mktemp("county"), seed=7, n_orgs=N_ORGS)


@pytest.fixture(scope="session")
def truth_rows(county) -> list[dict[str, str]]:
    return read_truth(county, "rows.csv")


@pytest.fixture(scope="session")
def truth_orgs(county) -> dict[str, dict[str, str]]:
    return {o["org_id"]: o for o in read_truth(county, "orgs.csv")}


@pytest.fixture(scope="session")
def sheets(county) -> dict[tuple[str, str], Sheet]:
    """Every sheet of every extract, keyed by (file, sheet)."""
    found = {}
    for written in county.files:
        path = county.out_dir / written.name
        if path.suffix == ".csv":
            found[(written.name, "")] = read_csv(path, written.encoding)
        else:
            found |= {(s.file, s.sheet): s for s in read_xlsx(path)}
    return found


@pytest.fixture(scope="session")
def first_rows(truth_rows) -> dict[tuple[str, str], int]:
    """The first data row of each sheet (the header is right above it)."""
    first: dict[tuple[str, str], int] = {}
    for row in truth_rows:
        key = (row["source_file"], row["source_sheet"])
        first[key] = min(first.get(key, 10**9), int(row["source_row"]))
    return first
