"""Source kinds, their canonical fields and the headers officials use for them (docs/rules.md §R3.2).

This is the contract between the department extracts and the engine: the intake maps each
header it finds to one of these fields, and the demo-data generator writes only headers that
are listed here (or a user mapping names).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """The kind of a department extract."""

    REGISTRY = "registry"
    SOCIAL_ORG = "social_org"
    TAX = "tax"
    INSURANCE = "insurance"
    PARTY_ORG = "party_org"
    SURVEY = "survey"
    INSTRUCTOR = "instructor"
    PARK = "park"


KIND_LABELS: dict[Kind, str] = {
    Kind.REGISTRY: "市场主体登记",
    Kind.SOCIAL_ORG: "社会组织登记",
    Kind.TAX: "税务",
    Kind.INSURANCE: "社保参保",
    Kind.PARTY_ORG: "党组织",
    Kind.SURVEY: "镇街摸排",
    Kind.INSTRUCTOR: "党建工作指导员名册",
    Kind.PARK: "园区/楼宇名录",
}

# Extracts whose every row describes one organization; these rows are linked to a master org.
ORG_KINDS: tuple[Kind, ...] = (
    Kind.REGISTRY,
    Kind.SOCIAL_ORG,
    Kind.TAX,
    Kind.INSURANCE,
    Kind.SURVEY,
)
# Extracts whose rows name organizations as their units (by code or name, several per cell).
REFERENCE_KINDS: tuple[Kind, ...] = (Kind.PARTY_ORG, Kind.INSTRUCTOR, Kind.PARK)


class ValueType(StrEnum):
    TEXT = "text"
    CODE = "code"  # credit code, normalised separately
    INT = "int"  # counts of people or units ("35人")
    MONEY_WAN = "money_wan"  # amounts, stored in 万元 ("2,350万元", "23500000元")
    DATE = "date"
    BOOL = "bool"  # 是/否/有/无/√/×/Y/N
    LIST = "list"  # several values in one cell (units of a joint party organization)


@dataclass(frozen=True)
class Field:
    name: str
    label: str  # Chinese label used in messages and outputs
    type: ValueType
    headers: tuple[str, ...]
    signature: bool = False  # a header that tells this kind apart from the others


@dataclass(frozen=True)
class SourceSchema:
    kind: Kind
    fields: tuple[Field, ...]
    # At least one of these must be present for a row to describe anything.
    identity: tuple[str, ...] = field(default=())

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)


T = ValueType

_CREDIT_CODE = Field(
    "credit_code",
    "统一社会信用代码",
    T.CODE,
    ("统一社会信用代码", "社会信用代码", "信用代码", "统一代码"),
)
_LEGAL_REP = Field(
    "legal_rep", "法定代表人", T.TEXT, ("法定代表人", "法定代表人(负责人)", "负责人")
)
_ADDRESS = Field("address", "住所", T.TEXT, ("住所", "地址", "注册地址", "经营场所"))
_TOWN = Field(
    "town", "所属镇街", T.TEXT, ("所属镇街", "镇街", "乡镇(街道)", "管辖单位", "所在镇街")
)
_SEQ = Field("seq", "序号", T.TEXT, ("序号", "编号"))

SCHEMAS: dict[Kind, SourceSchema] = {
    Kind.REGISTRY: SourceSchema(
        Kind.REGISTRY,
        (
            _SEQ,
            _CREDIT_CODE,
            Field("name", "企业名称", T.TEXT, ("企业名称", "市场主体名称", "名称", "单位名称")),
            Field(
                "legal_form",
                "企业类型",
                T.TEXT,
                ("企业类型", "市场主体类型", "类型"),
                signature=True,
            ),
            _LEGAL_REP,
            Field(
                "registered_capital_wan",
                "注册资本",
                T.MONEY_WAN,
                ("注册资本(万元)", "注册资本"),
                signature=True,
            ),
            Field("founded_on", "成立日期", T.DATE, ("成立日期", "成立时间")),
            Field(
                "reg_status",
                "登记状态",
                T.TEXT,
                ("登记状态", "经营状态", "企业状态"),
                signature=True,
            ),
            _ADDRESS,
            Field(
                "industry",
                "所属行业",
                T.TEXT,
                ("所属行业", "行业门类", "行业代码", "行业"),
                signature=True,
            ),
            _TOWN,
        ),
        identity=("credit_code", "name"),
    ),
    Kind.SOCIAL_ORG: SourceSchema(
        Kind.SOCIAL_ORG,
        (
            _SEQ,
            _CREDIT_CODE,
            Field("name", "社会组织名称", T.TEXT, ("社会组织名称", "单位名称", "名称")),
            Field(
                "org_type",
                "社会组织类型",
                T.TEXT,
                ("社会组织类型", "组织类型", "类型"),
                signature=True,
            ),
            Field("supervisor", "业务主管单位", T.TEXT, ("业务主管单位",), signature=True),
            _LEGAL_REP,
            _ADDRESS,
            Field("founded_on", "成立登记日期", T.DATE, ("成立登记日期", "成立日期")),
            Field("reg_status", "登记状态", T.TEXT, ("登记状态",)),
            Field("staff", "从业人员数", T.INT, ("从业人员数", "专职工作人员数"), signature=True),
            _TOWN,
        ),
        identity=("credit_code", "name"),
    ),
    Kind.TAX: SourceSchema(
        Kind.TAX,
        (
            _SEQ,
            Field("credit_code", "纳税人识别号", T.CODE, ("纳税人识别号", "统一社会信用代码")),
            Field("name", "纳税人名称", T.TEXT, ("纳税人名称", "企业名称"), signature=True),
            Field(
                "revenue_wan",
                "营业收入",
                T.MONEY_WAN,
                ("营业收入", "年度营业收入", "销售收入"),
                signature=True,
            ),
            Field(
                "tax_paid_wan",
                "实缴税额",
                T.MONEY_WAN,
                ("实缴税额", "纳税额", "入库税款"),
                signature=True,
            ),
            Field("tax_status", "纳税人状态", T.TEXT, ("纳税人状态",), signature=True),
        ),
        identity=("credit_code", "name"),
    ),
    Kind.INSURANCE: SourceSchema(
        Kind.INSURANCE,
        (
            _SEQ,
            _CREDIT_CODE,
            Field("name", "参保单位名称", T.TEXT, ("单位名称", "参保单位名称")),
            Field(
                "insured",
                "参保人数",
                T.INT,
                ("参保人数", "在职参保人数", "缴费人数", "职工人数"),
                signature=True,
            ),
            Field("insurance_status", "参保状态", T.TEXT, ("参保状态", "缴费状态"), signature=True),
        ),
        identity=("credit_code", "name"),
    ),
    Kind.PARTY_ORG: SourceSchema(
        Kind.PARTY_ORG,
        (
            _SEQ,
            Field(
                "party_org_name", "党组织名称", T.TEXT, ("党组织名称", "党组织全称"), signature=True
            ),
            Field(
                "party_org_type",
                "党组织类别",
                T.TEXT,
                ("党组织类别", "组织类别", "党组织类型"),
                signature=True,
            ),
            Field("mode", "组建方式", T.TEXT, ("组建方式", "组建形式"), signature=True),
            Field(
                "unit_credit_codes",
                "所在单位统一社会信用代码",
                T.LIST,
                ("所在单位统一社会信用代码", "单位信用代码"),
            ),
            Field("unit_names", "所在单位", T.LIST, ("所在单位", "所在单位名称", "覆盖单位")),
            Field("formal_members", "正式党员数", T.INT, ("正式党员数", "正式党员")),
            Field("probationary_members", "预备党员数", T.INT, ("预备党员数", "预备党员")),
            Field("members", "党员总数", T.INT, ("党员总数", "党员数")),
            Field("secretary", "书记", T.TEXT, ("书记", "党组织书记")),
            Field("founded_on", "成立时间", T.DATE, ("成立时间", "成立日期")),
            Field("superior", "上级党组织", T.TEXT, ("上级党组织", "隶属党组织"), signature=True),
            Field("status", "状态", T.TEXT, ("状态", "党组织状态")),
        ),
        identity=("party_org_name",),
    ),
    Kind.SURVEY: SourceSchema(
        Kind.SURVEY,
        (
            _SEQ,
            _CREDIT_CODE,
            Field("name", "单位名称", T.TEXT, ("单位名称", "企业名称", "名称", "组织名称")),
            _TOWN,
            Field("park", "所在园区", T.TEXT, ("所在园区",), signature=True),
            Field(
                "building",
                "所在楼宇/商圈",
                T.TEXT,
                ("所在楼宇/商圈", "所在楼宇", "所在商圈"),
                signature=True,
            ),
            Field(
                "has_premises",
                "是否有固定场所",
                T.BOOL,
                ("是否有固定场所", "有无固定场所"),
                signature=True,
            ),
            Field(
                "employees",
                "从业人员数",
                T.INT,
                ("从业人员数", "职工人数", "员工人数"),
                signature=True,
            ),
            Field(
                "formal_members", "正式党员数", T.INT, ("正式党员数", "党员人数"), signature=True
            ),
            Field("operating", "经营状况", T.TEXT, ("经营状况",), signature=True),
            Field("revenue_wan", "营业收入", T.MONEY_WAN, ("营业收入",)),
            Field(
                "investor_is_member", "出资人是否党员", T.BOOL, ("出资人是否党员",), signature=True
            ),
            Field("unbuilt_reason", "未建党组织原因", T.TEXT, ("未建党组织原因",), signature=True),
            Field("mass_orgs", "已建群团组织", T.TEXT, ("已建群团组织",), signature=True),
            Field("lon", "经度", T.TEXT, ("经度",)),
            Field("lat", "纬度", T.TEXT, ("纬度",)),
            Field("contact", "联系人", T.TEXT, ("联系人",)),
            Field("phone", "联系电话", T.TEXT, ("联系电话", "电话")),
            Field("notes", "备注", T.TEXT, ("备注",)),
        ),
        identity=("credit_code", "name"),
    ),
    Kind.INSTRUCTOR: SourceSchema(
        Kind.INSTRUCTOR,
        (
            _SEQ,
            Field("name", "姓名", T.TEXT, ("姓名", "指导员姓名"), signature=True),
            Field("unit", "工作单位", T.TEXT, ("工作单位",), signature=True),
            Field("position", "职务", T.TEXT, ("职务",), signature=True),
            Field("full_time", "专职/兼职", T.TEXT, ("专职/兼职", "专兼职"), signature=True),
            Field("phone", "联系电话", T.TEXT, ("联系电话", "电话")),
            Field("town", "负责镇街", T.TEXT, ("负责镇街", "所属镇街", "镇街")),
            Field("assigned_units", "联系单位", T.LIST, ("联系单位",), signature=True),
        ),
        identity=("name",),
    ),
    Kind.PARK: SourceSchema(
        Kind.PARK,
        (
            _SEQ,
            Field(
                "park_name",
                "园区名称",
                T.TEXT,
                ("园区名称", "楼宇名称", "园区/楼宇名称"),
                signature=True,
            ),
            Field("level", "级别", T.TEXT, ("级别",), signature=True),
            Field("park_kind", "类型", T.TEXT, ("类型",)),
            _TOWN,
            Field("units", "入驻单位", T.LIST, ("入驻单位",), signature=True),
        ),
        identity=("park_name",),
    ),
}

# Separators between several units named in one cell (joint party organizations, parks).
LIST_SEPARATORS = "、，,；;\n\r"

# Credit-code prefixes (registering authority + kind), GB 32100-2015 appendix.
CODE_PREFIX_KIND: dict[str, str] = {
    "91": "enterprise",
    "92": "individual_business",
    "93": "farmer_cooperative",
    "51": "association",
    "52": "service_org",
    "53": "foundation",
    "31": "law_firm",
}
