"""The OpenAPI 3.1 description of the read API, built from the same declarations the views
use (shapes, filter forms, table sort keys), so it says what the endpoints really do."""

from __future__ import annotations

from typing import Any

from django import forms

from liangxin.engine.labels import COUNT_LABELS, RATE_LABELS
from liangxin.engine.screen.metrics import RATES
from liangxin.web.api.shapes import (
    INSTRUCTOR,
    INSTRUCTOR_DETAIL,
    ORG,
    ORG_DETAIL,
    PARTY_ORG,
    PARTY_ORG_DETAIL,
    SHAPES,
    Shape,
)
from liangxin.web.dashboard.metrics import COUNTS
from liangxin.web.instructors.filtersets import InstructorFilter
from liangxin.web.instructors.tables import InstructorTable
from liangxin.web.orgs.filtersets import OrgFilter
from liangxin.web.orgs.tables import OrgTable
from liangxin.web.partyorgs.filtersets import PartyOrgFilter
from liangxin.web.partyorgs.tables import PartyOrgTable

Schema = dict[str, Any]
PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _filter_parameters(filterset, table) -> list[Schema]:
    params = []
    for name, field in filterset.base_fields.items():
        label = filterset.search_label if name == "q" else str(field.label)
        if isinstance(field, forms.MultipleChoiceField):
            schema: Schema = {
                "type": "array",
                "items": {"type": "string", "enum": [k for k, _ in field.choices]},
            }
            params.append(
                {
                    "name": name,
                    "in": "query",
                    "description": f"{label}（可重复）",
                    "schema": schema,
                    "style": "form",
                    "explode": True,
                }
            )
            continue
        if name == "region":
            schema = {"type": "string", "pattern": "^[0-9]+$"}
            label = f"{label}（区域编号：该区域及以下）"
        elif isinstance(field, forms.ChoiceField):
            schema = {"type": "string", "enum": [str(k) for k, _ in field.choices]}
        else:
            schema = {"type": "string"}
        params.append({"name": name, "in": "query", "description": label, "schema": schema})
    keys = [c.key for c in table.columns if c.sort]
    params.append(
        {
            "name": "sort",
            "in": "query",
            "description": "排序（前加 - 为倒序）",
            "schema": {"type": "string", "enum": keys + [f"-{k}" for k in keys]},
        }
    )
    params += [
        {"$ref": "#/components/parameters/page"},
        {"$ref": "#/components/parameters/page_size"},
    ]
    return params


def _page_schema(item: str) -> Schema:
    nullable_link = {"type": ["string", "null"]}
    return {
        "type": "object",
        "properties": {
            "count": {"type": "integer", "description": "符合条件的总数"},
            "page": {"type": "integer"},
            "page_size": {"type": "integer"},
            "num_pages": {"type": "integer"},
            "next": nullable_link,
            "previous": nullable_link,
            "results": {"type": "array", "items": _ref(item)},
        },
        "required": ["count", "page", "page_size", "num_pages", "next", "previous", "results"],
        "additionalProperties": False,
    }


def _counts_schema(extra: dict[str, Schema] | None = None) -> Schema:
    properties: dict[str, Schema] = dict(extra or {})
    for key in COUNTS:
        properties[key] = {"type": "integer", "description": COUNT_LABELS.get(key, key)}
    for key in RATES:
        properties[key] = {**_ref("Rate"), "description": RATE_LABELS.get(key, key)}
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _responses(ok: Schema, *, not_found: bool = False, bad_request: bool = False) -> Schema:
    out: Schema = {
        "200": {"description": "成功", "content": {"application/json": {"schema": ok}}},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/PasswordChangeRequired"},
    }
    if bad_request:
        out["400"] = {"$ref": "#/components/responses/BadRequest"}
    if not_found:
        out["404"] = {"$ref": "#/components/responses/NotFound"}
    return out


def _list_path(summary: str, tag: str, shape: Shape, filterset, table) -> Schema:
    return {
        "get": {
            "summary": summary,
            "tags": [tag],
            "operationId": f"list{shape.name}s",
            "parameters": _filter_parameters(filterset, table),
            "responses": _responses(_ref(f"{shape.name}Page"), not_found=True, bad_request=True),
        }
    }


def _detail_path(summary: str, tag: str, shape: Shape) -> Schema:
    return {
        "get": {
            "summary": summary,
            "tags": [tag],
            "operationId": f"get{shape.name}",
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
            ],
            "responses": _responses(_ref(shape.name), not_found=True),
        }
    }


def openapi(server: str = "/api") -> Schema:
    error = {
        "type": "object",
        "properties": {
            "detail": {"type": "string"},
            "errors": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
        },
        "required": ["detail"],
    }
    schemas: dict[str, Schema] = {shape.name: shape.schema() for shape in SHAPES}
    for shape in (ORG, PARTY_ORG, INSTRUCTOR):
        schemas[f"{shape.name}Page"] = _page_schema(shape.name)
    schemas["Rate"] = {
        "type": "object",
        "properties": {
            "numerator": {"type": "integer", "description": "分子"},
            "denominator": {"type": "integer", "description": "分母"},
            "rate": {"type": ["number", "null"], "description": "比率（分母为0时为空）"},
            "percent": {
                "type": ["string", "null"],
                "description": "显示的百分比（分子/分母四舍五入一次到0.1%，分母为0时为空）",
            },
        },
        "required": ["numerator", "denominator", "rate", "percent"],
        "additionalProperties": False,
    }
    schemas["Counts"] = _counts_schema()
    schemas["TownCounts"] = _counts_schema({"town": {"type": "string", "description": "镇街"}})
    schemas["Metrics"] = {
        "type": "object",
        "properties": {
            "total": _ref("Counts"),
            "towns": {
                "type": "array",
                "items": _ref("TownCounts"),
                "description": f"各镇街，按{RATE_LABELS['org_coverage_rate']}排名",
            },
        },
        "required": ["total", "towns"],
        "additionalProperties": False,
    }
    schemas["Error"] = error
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "两新组织党建“两个覆盖”台账系统 数据接口",
            "version": "1",
            "description": (
                "只读接口。每个请求只返回当前用户权限范围内的数据（范围外的对象为404，"
                "也不计入列表和统计）；个人信息一律脱敏。认证：请求头 "
                "`Authorization: Bearer <接口令牌>`（在“接口令牌”页面创建），或已登录的会话。"
            ),
        },
        "servers": [{"url": server}],
        "security": [{"token": []}, {"session": []}],
        "tags": [
            {"name": "组织", "description": "两新组织"},
            {"name": "党组织"},
            {"name": "指导员"},
            {"name": "统计"},
        ],
        "paths": {
            "/orgs/": _list_path("两新组织列表", "组织", ORG, OrgFilter, OrgTable),
            "/orgs/{id}/": _detail_path("两新组织详情", "组织", ORG_DETAIL),
            "/partyorgs/": _list_path(
                "党组织列表", "党组织", PARTY_ORG, PartyOrgFilter, PartyOrgTable
            ),
            "/partyorgs/{id}/": _detail_path("党组织详情", "党组织", PARTY_ORG_DETAIL),
            "/instructors/": _list_path(
                "指导员列表", "指导员", INSTRUCTOR, InstructorFilter, InstructorTable
            ),
            "/instructors/{id}/": _detail_path("指导员详情", "指导员", INSTRUCTOR_DETAIL),
            "/metrics/": {
                "get": {
                    "summary": "“两个覆盖”统计（全县合计和各镇街）",
                    "tags": ["统计"],
                    "operationId": "getMetrics",
                    "responses": _responses(_ref("Metrics")),
                }
            },
        },
        "components": {
            "securitySchemes": {
                "token": {"type": "http", "scheme": "bearer", "description": "接口令牌"},
                "session": {"type": "apiKey", "in": "cookie", "name": "sessionid"},
            },
            "parameters": {
                "page": {
                    "name": "page",
                    "in": "query",
                    "description": "页码（从1开始）",
                    "schema": {"type": "integer", "minimum": 1},
                },
                "page_size": {
                    "name": "page_size",
                    "in": "query",
                    "description": "每页条数",
                    "schema": {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": MAX_PAGE_SIZE,
                        "default": PAGE_SIZE,
                    },
                },
            },
            "responses": {
                "Unauthorized": {
                    "description": "未登录，或接口令牌无效、已吊销",
                    "content": {"application/json": {"schema": _ref("Error")}},
                },
                "PasswordChangeRequired": {
                    "description": "账户须先登录网页修改密码（初始密码、被重置或已过期）",
                    "content": {"application/json": {"schema": _ref("Error")}},
                },
                "NotFound": {
                    "description": "不存在或不在权限范围内",
                    "content": {"application/json": {"schema": _ref("Error")}},
                },
                "BadRequest": {
                    "description": "参数有误",
                    "content": {"application/json": {"schema": _ref("Error")}},
                },
            },
            "schemas": schemas,
        },
    }
