"""Every rule the code cites is in the repository: comments and docstrings cite ``docs/*.md §…``
anchors that exist, never the out-of-repo domain contract or a tracker's issue numbers.

An anchor is resolved against the last ``docs/NAME.md`` named before it on the same line
(``docs/security.md §1, §3``); an ``§R…`` anchor alone belongs to ``docs/rules.md``. A heading
provides the anchors ``§…`` it contains and its leading section number (``## 3. 安全审计``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SCANNED = ("src", "tests", "scripts", "benchmarks")
SUFFIXES = {".py", ".html", ".toml"}
THIS = Path(__file__).resolve()  # its examples are not references

OUTSIDE = re.compile(r"\bSPEC\s*§|shared/SPEC|\bSPEC\.md|\b[Ii]ssues?\s+#?\d")
DOC = re.compile(r"docs/([\w-]+\.md)")
TOKEN = re.compile(r"docs/([\w-]+\.md)|§(R?\d+(?:\.\d+)*)")
HEADING = re.compile(r"^#+\s+(.*)$")
NUMBERED = re.compile(r"^(\d+(?:\.\d+)*)\.\s")


def scanned_files() -> list[Path]:
    files = []
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*")):
            if path.suffix in SUFFIXES and "vendor" not in path.parts and path != THIS:
                files.append(path)
    return files


def anchors(doc: Path) -> set[str]:
    """The anchors a document's headings provide."""
    found = set()
    for line in doc.read_text(encoding="utf-8").splitlines():
        heading = HEADING.match(line)
        if heading is None:
            continue
        text = heading.group(1)
        found.update(re.findall(r"§(R?\d+(?:\.\d+)*)", text))
        numbered = NUMBERED.match(text)
        if numbered:
            found.add(numbered.group(1))
    return found


def references(path: Path) -> list[tuple[int, str, str | None]]:
    """(line number, document, anchor or None) for each docs reference in a file."""
    refs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        current = None
        for match in TOKEN.finditer(line):
            doc, anchor = match.groups()
            if doc is not None:
                current = doc
                refs.append((number, doc, None))
            elif current is not None:
                refs.append((number, current, anchor))
            elif anchor.startswith("R"):
                refs.append((number, "rules.md", anchor))
    return refs


@pytest.fixture(scope="module")
def files() -> list[Path]:
    found = scanned_files()
    assert any(p.name == "rules.py" for p in found)  # the scan reaches the engine
    return found


def test_no_code_cites_documents_outside_the_repository(files):
    offending = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in files
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if OUTSIDE.search(line)
    ]
    assert offending == []


def test_every_cited_section_exists_in_docs(files):
    known = {doc.name: anchors(doc) for doc in DOCS.glob("*.md")}
    broken = []
    cited = 0
    for path in files:
        for number, doc, anchor in references(path):
            where = f"{path.relative_to(ROOT)}:{number}"
            if doc not in known:
                broken.append(f"{where}: docs/{doc} does not exist")
            elif anchor is not None:
                cited += 1
                if anchor not in known[doc]:
                    broken.append(f"{where}: docs/{doc} has no §{anchor}")
    assert broken == []
    assert cited > 50  # the engine's rules are cited, so the check has something to check


def test_the_checks_catch_what_they_are_meant_to(tmp_path):
    doc = tmp_path / "rules.md"
    doc.write_text("# Rules\n## §R1 Users\n### §R5.1 Scope\n## 3. 安全审计\n", encoding="utf-8")
    assert anchors(doc) == {"R1", "R5.1", "3"}
    code = tmp_path / "x.py"
    code.write_text("# see docs/security.md §1, §3 and §R5.2\n# docs/rules.md §R5.1\n")
    assert references(code) == [
        (1, "security.md", None),
        (1, "security.md", "1"),
        (1, "security.md", "3"),
        (1, "security.md", "R5.2"),
        (2, "rules.md", None),
        (2, "rules.md", "R5.1"),
    ]
    assert OUTSIDE.search("(SPEC " + "§5.1)") and OUTSIDE.search("(issue " + "6 §3)")
