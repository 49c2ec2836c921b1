"""Scope holds on every page (docs/security.md “按角色和范围授权”): unmistakable names are planted
in each 镇街 and in each department's and the instructor's scope, through the import path like
any other data; then every scoped role crawls every page it can reach from its menu and links
(bulletins, period comparisons, fragments, exports and downloads read back as text), and no
planted name outside the role's scope may appear anywhere."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from datetime import timedelta
from html.parser import HTMLParser
from itertools import product
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import docx
import openpyxl
import pytest
from test_periods import found_party_org
from web_county import import_files, make_user

from liangxin.web.closures.models import Closure
from liangxin.web.core.policy import as_of
from liangxin.web.core.scope import Role
from liangxin.web.orgs.models import Org
from liangxin.web.periods.models import Period
from liangxin.web.regions.models import Region
from liangxin.web.verify.actions import do_generate

pytestmark = pytest.mark.django_db

# Two-character codes that no generated name contains: “探针” + 甲子, 甲丑, …
STEMS, BRANCHES = "甲乙丙丁戊己庚辛壬癸", "子丑寅卯辰巳午未申酉戌亥"
MARKERS = [f"探针{s}{b}" for s, b in product(STEMS, BRANCHES)]
SKIPPED = ("/logout/", "/static/", "/login/")
SCOPED = ("dept", "dept_industry", "dept_supervisor", "guide")  # besides one user per 镇街
MAX_PAGES = 4000  # per role; a crawl that reaches it is a runaway, not a pass


class Links(HTMLParser):
    """The GET targets of a page: links, HTMX fragments, and GET forms with their defaults."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._form: tuple[str, list[tuple[str, str]]] | None = None
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name in ("href", "hx-get"):
            if a.get(name):
                self.found.append(a[name])
        if tag == "form" and (a.get("method") or "get").lower() == "get":
            self._form = (a.get("action") or "", [])
        elif self._form is not None and tag == "input" and a.get("name"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self._form[1].append((a["name"], a.get("value") or ""))
        elif self._form is not None and tag == "select":
            self._select, self._options = a.get("name"), []
        elif self._select is not None and tag == "option":
            self._options.append((a.get("value") or "", "selected" in a))

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None and self._form is not None:
            chosen = [v for v, selected in self._options if selected] or [
                v for v, _ in self._options[:1]
            ]
            self._form[1].extend((self._select, v) for v in chosen)
            self._select = None
        elif tag == "form" and self._form is not None:
            action, fields = self._form
            self.found.append(f"{action}?{urlencode(fields)}" if fields else action)
            self._form = None


def _normal(url: str, base: str) -> str | None:
    """A same-site path with its query, or None for what the crawl leaves alone (other
    sites, logout, static files, sort orders: the same rows in another order)."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith(("#", "mailto:", "javascript:", "data:")):
        return None
    path = parts.path or urlsplit(base).path
    if not path.startswith("/"):
        path = urlsplit(base).path.rsplit("/", 1)[0] + "/" + path
    if path.startswith(SKIPPED):
        return None
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if v != ""]
    if any(k == "sort" for k, _ in query):
        return None
    return f"{path}?{urlencode(sorted(query))}" if query else path


def text_of(response) -> str:
    """What a user could read in a response: the page, or the downloaded file's text."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    disposition = response.get("Content-Disposition", "")
    if "spreadsheetml" in kind or ".xlsx" in disposition:
        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v
        )
    if "wordprocessingml" in kind or ".docx" in disposition:
        document = docx.Document(io.BytesIO(body))
        cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    if kind.startswith("image/"):
        return ""
    if "pdf" in kind:
        raise AssertionError(f"{response.request['PATH_INFO']}: a PDF cannot be read back here")
    return body.decode("utf-8-sig")


def crawl(client, seeds: list[str]) -> dict[str, str]:
    """Every page reachable from ``seeds`` by GET, as text, by URL."""
    pages: dict[str, str] = {}
    queue = [s for s in seeds]
    seen = set(queue)
    while queue:
        url = queue.pop()
        response = client.get(url)
        if response.status_code in (301, 302):
            targets = [response["Location"]]
        elif response.status_code == 200:
            text = pages[url] = text_of(response)
            targets = _targets(text, response.get("Content-Type", ""))
        else:
            assert response.status_code in (400, 403, 404), f"{url}: {response.status_code}"
            continue
        for target in targets:
            found = _normal(target, url)
            if found is not None and found not in seen:
                seen.add(found)
                queue.append(found)
        assert len(pages) < MAX_PAGES, "the crawl does not end"
    return pages


def _targets(text: str, kind: str) -> list[str]:
    if "json" in kind:
        data = json.loads(text)
        return [data["next"]] if isinstance(data, dict) and data.get("next") else []
    if "html" not in kind:
        return []
    parser = Links()
    parser.feed(text)
    return parser.found


# ---- planting ---------------------------------------------------------------------------


def _planted(value: str, names: dict[str, str]) -> str:
    """A cell's text with each picked name in it (alone, or in a list such as an instructor's
    “联系单位”) planted; other text, and names merely containing a picked one, unchanged."""
    parts = re.split(r"([；;、，,\n])", value)
    return "".join(names.get(p.strip(), p) for p in parts)


def _replace_cells(path: Path, names: dict[str, str]) -> None:
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path)
        for sheet in book:
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str):
                        cell.value = _planted(cell.value, names)
        book.save(path)
        return
    raw = path.read_bytes()
    encoding = "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        encoding, text = "gb18030", raw.decode("gb18030")
    rows = [[_planted(c, names) for c in row] for row in csv.reader(io.StringIO(text))]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))


def _picks(users) -> list[Org]:
    """In each 镇街: an organization with an overdue task, one about to be covered, one in
    each department user's scope and one the instructor guides."""
    towns = Region.objects.filter(level=Region.Level.TOWN).values_list("name", flat=True)
    overdue = Closure.objects.overdue(as_of()).values("org")
    scoped = [Org.objects.restrict(users[u]) for u in SCOPED]
    picks: dict[int, Org] = {}
    for town in towns:
        mine = Org.objects.filter(town=town, credit_code__isnull=False).order_by("org_id")
        for candidates in (
            mine.filter(pk__in=overdue),
            mine.filter(in_scope=True, due_unestablished=True),
            *(q.filter(town=town, credit_code__isnull=False).order_by("org_id") for q in scoped),
            mine,
        ):
            org = candidates.exclude(pk__in=list(picks)).first()
            if org is not None:
                picks[org.pk] = org
    return list(picks.values())


def plant(admin, county_folder: Path, folder: Path, users) -> dict[str, Org]:
    """Plant a marker in the names of the picked organizations, re-importing the county's
    files; the planted organizations by marker."""
    picks = _picks(users)
    names = {org.name: f"{marker}{org.name}" for org, marker in zip(picks, MARKERS, strict=False)}
    shutil.copytree(county_folder, folder, ignore=shutil.ignore_patterns(".*"))
    for path in folder.iterdir():
        if path.suffix in (".xlsx", ".csv"):
            _replace_cells(path, names)
    import_files(admin, folder)
    planted = {}
    for org in Org.objects.filter(org_id__in=[o.org_id for o in picks]):
        marker = org.name[:4]
        if marker in MARKERS:
            planted[marker] = org
    assert len(planted) >= 0.8 * len(picks), "the markers reached the organizations' names"
    return planted


def test_no_role_sees_a_planted_name_outside_its_scope(client, users, county, tmp_path):
    admin = users["admin"]
    # besides the session's department of social organization subtypes
    for field, setting in (("industry", "dept_industries"), ("supervisor", "dept_supervisors")):
        first = Org.objects.exclude(**{f"{field}__isnull": True}).exclude(**{field: ""})
        value = first.order_by("org_id").values_list(field, flat=True)[0]
        users[f"dept_{field}"] = make_user(
            f"dept_{field}", role=Role.DEPARTMENT, **{setting: [value]}
        )
    client.force_login(admin)
    client.post("/periods/freeze/", {"label": "探针上期"})
    planted = plant(admin, county.folder, tmp_path / "county", users)
    due = [o for o in planted.values() if o.due_unestablished and o.in_scope]
    found_party_org(admin, due[0], tmp_path, *due[1:])
    client.post("/periods/freeze/", {"label": "探针本期"})
    assert Period.objects.count() == 2
    # 核实任务 for the planted organizations too: their list and cards join the crawl
    assert do_generate(admin, "探针核实", as_of() + timedelta(days=14)) > 0

    towns = Region.objects.filter(level=Region.Level.TOWN).order_by("name")
    roles = {f"town_{t.pk}": make_user(f"town_{t.pk}", role=Role.TOWN, region=t) for t in towns}
    roles |= {u: users[u] for u in SCOPED}
    roles["security"] = make_user("security", role=Role.SECURITY_ADMIN)
    periods = list(Period.objects.values_list("pk", flat=True))
    seeds = ["/", "/api/orgs/", "/api/partyorgs/", "/api/instructors/", "/api/metrics/"]
    seeds += [f"/bulletins/{p}/{f}" for p in periods for f in ("", "bulletin.docx")]
    seeds += [f"/periods/compare/?a={periods[0]}&b={periods[1]}"]
    leaks = []
    for name, user in roles.items():
        client.force_login(user)
        client.post("/ledger/generate/")
        mine = set(Org.objects.restrict(user).values_list("pk", flat=True))
        outside = {m: o for m, o in planted.items() if o.pk not in mine}
        pages = crawl(client, seeds)
        seen = {m for m in planted if any(m in text for text in pages.values())}
        if user.role != Role.SECURITY_ADMIN:
            assert seen, f"{name} sees its own planted organizations somewhere"
        if user.role == Role.TOWN:  # its newly covered organizations are in its bulletin
            bulletin = pages[f"/bulletins/{periods[-1]}/"]
            assert all(o.name in bulletin for o in due if o.pk in mine), name
        leaks += [
            f"{name}（{user.get_role_display()}）在 {url} 看到 {o.town} 的 {o.name}"
            for url, text in pages.items()
            for m, o in outside.items()
            if m in text
        ]
    assert not leaks, "\n".join(leaks[:40])
