"""Tiny real extract folders for screening tests: CSV files as departments send them, read by
the intake and reconciled, so a test checks the whole path from a cell to a flag."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from stdnum.cn import uscc

from liangxin.engine.intake import read_extracts
from liangxin.engine.policies import load_policy
from liangxin.engine.reconcile import reconcile
from liangxin.engine.screen import Screened, screen

AS_OF = date(2020, 7, 1)
PREFIX = {
    "enterprise": "91",
    "association": "51",
    "service_org": "52",
    "foundation": "53",
    "law_firm": "31",
    "accounting_firm": "91",
}
ORG_TYPE = {
    "association": "社会团体",
    "service_org": "民办非企业单位",
    "foundation": "基金会",
    "law_firm": "律师事务所",
    "accounting_firm": "会计师事务所",
}

REGISTRY = "市场监管登记.csv"
SOCIAL = "民政社会组织.csv"
TAX = "税务.csv"
INSURANCE = "社保参保.csv"
PARTY = "党组织.csv"
INSTRUCTORS = "指导员名册.csv"
PARKS = "园区名录.csv"


def survey_file(town: str) -> str:
    return f"{town}摸排表.csv"


def credit_code(prefix: str, n: int) -> str:
    body = f"{prefix}371329MA{n:07d}"
    return body + uscc.calc_check_digit(body)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


@dataclass
class County:
    """Department extracts being written; each method adds the rows one organization has."""

    files: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    _serial: int = 0

    def _row(self, file: str, **cells: Any) -> int:
        rows = self.files.setdefault(file, [])
        rows.append(cells)
        return len(rows) + 1  # the CSV line: the header is line 1

    def _code(self, kind: str) -> str:
        self._serial += 1
        return credit_code(PREFIX[kind], self._serial)

    def enterprise(
        self,
        name: str,
        *,
        town: str = "城关镇",
        legal_form: str = "有限责任公司(自然人投资或控股)",
        reg_status: str = "存续",
        revenue: float | None = None,
        tax_status: str | None = "正常",
        insured: int | None = None,
        code: str | None = None,
        **survey: Any,
    ) -> str:
        code = code or self._code("enterprise")
        self._row(
            REGISTRY,
            统一社会信用代码=code,
            企业名称=name,
            企业类型=legal_form,
            登记状态=reg_status,
            住所=f"{town}人民路1号",
            所属镇街=town,
        )
        if tax_status is not None or revenue is not None:
            self._row(
                TAX,
                纳税人识别号=code,
                纳税人名称=name,
                **{"营业收入(万元)": revenue},
                纳税人状态=tax_status,
            )
        self._insurance(code, name, insured)
        self._survey(code, name, town, survey)
        return code

    def social_org(
        self,
        name: str,
        *,
        subtype: str = "association",
        town: str = "城关镇",
        reg_status: str = "正常",
        staff: int | None = None,
        insured: int | None = None,
        **survey: Any,
    ) -> str:
        code = self._code(subtype)
        self._row(
            SOCIAL,
            统一社会信用代码=code,
            社会组织名称=name,
            社会组织类型=ORG_TYPE[subtype],
            业务主管单位="县民政局",
            登记状态=reg_status,
            从业人员数=staff,
            所属镇街=town,
        )
        self._insurance(code, name, insured)
        self._survey(code, name, town, survey)
        return code

    def _insurance(self, code: str, name: str, insured: int | None) -> None:
        if insured is not None:
            self._row(
                INSURANCE,
                统一社会信用代码=code,
                单位名称=name,
                参保人数=insured,
                参保状态="正常参保",
            )

    def _survey(self, code: str, name: str, town: str, survey: dict[str, Any]) -> None:
        """Survey columns by keyword: employees, members, operating, premises, park, revenue."""
        if not survey:
            return
        headers = {
            "employees": "从业人员数",
            "members": "正式党员数",
            "operating": "经营状况",
            "premises": "是否有固定场所",
            "park": "所在园区",
            "survey_revenue": "营业收入",
        }
        cells = {"经营状况": "正常经营", "是否有固定场所": True}
        cells |= {headers[k]: v for k, v in survey.items()}
        self._row(survey_file(town), 统一社会信用代码=code, 单位名称=name, 所属镇街=town, **cells)

    def party_org(
        self,
        name: str,
        units: list[str],
        *,
        type_label: str = "党支部",
        mode: str = "单独组建",
        formal: int | None = 3,
        probationary: int | None = 0,
        members: int | None = None,
        status: str = "正常",
        unit_names: list[str] | None = None,
    ) -> int:
        return self._row(
            PARTY,
            党组织名称=name,
            党组织类别=type_label,
            组建方式=mode,
            所在单位统一社会信用代码="、".join(units),
            所在单位="、".join(unit_names or []),
            正式党员数=formal,
            预备党员数=probationary,
            党员总数=members,
            上级党组织="城关镇两新组织综合党委",
            状态=status,
        )

    def instructor(self, name: str, units: list[str], *, full_time: str = "兼职") -> int:
        return self._row(
            INSTRUCTORS,
            姓名=name,
            工作单位="城关镇党委",
            职务="组织委员",
            **{"专职/兼职": full_time},
            联系电话="13800000000",
            负责镇街="城关镇",
            联系单位="、".join(units),
        )

    def park(self, name: str, units: list[str], *, kind: str = "园区", town: str = "城关镇") -> int:
        return self._row(
            PARKS, 园区名称=name, 级别="省级", 类型=kind, 所属镇街=town, 入驻单位="、".join(units)
        )

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for file, rows in self.files.items():
            headers = list(dict.fromkeys(h for row in rows for h in row))
            with (folder / file).open("w", encoding="utf-8", newline="") as out:
                writer = csv.writer(out)
                writer.writerow(headers)
                writer.writerows([_cell(row.get(h)) for h in headers] for row in rows)
        return folder

    def screen(self, folder: Path, policy: str = "linyi-2020", as_of: date = AS_OF) -> Screened:
        records = read_extracts(self.write(folder)).records
        return screen(reconcile(records), load_policy(policy), as_of)


def org(screened: Screened, code: str) -> dict[str, Any]:
    rows = screened.orgs.filter(screened.orgs["credit_code"] == code).to_dicts()
    assert len(rows) == 1, f"{code}: {len(rows)} rows"
    return rows[0]
