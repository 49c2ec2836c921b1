"""The shape of the code's imports (docs/architecture.md §5): the web base (``web/core``) and the
settings import no web app, and no two files of ``src/liangxin`` import each other, directly or
round a longer loop. Imports inside functions count too: they are dependencies all the same."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "liangxin"
WEB = PACKAGE / "web"


def module_of(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_of(path): path for path in PACKAGE.rglob("*.py")}


def imported(path: Path) -> set[str]:
    """The ``liangxin`` modules a file imports, at any depth of its code (``from a import b``
    names the module ``a.b`` when there is one, else ``a``)."""
    here = module_of(path).split(".")
    if path.name != "__init__.py":
        here = here[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*here[: len(here) - node.level + 1], *filter(None, [base])])
            for alias in node.names:
                name = f"{base}.{alias.name}"
                found.add(name if name in MODULES else base)
    return {name for name in found if name in MODULES}


GRAPH = {name: imported(path) for name, path in MODULES.items()}


def app_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[:2] != ["liangxin", "web"] or len(parts) < 3 or not (WEB / parts[2]).is_dir():
        return None
    return parts[2]


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one file (or a file importing itself),
    by Tarjan's algorithm, iteratively so that a long chain does not exhaust the stack."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, targets = work[-1]
            target = next(targets, None)
            if target is not None:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph[node]:
                    found.append(sorted(component))
    return found


def test_the_cycle_finder_finds_loops_of_any_length():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}, "f": set()}
    assert sorted(cycles(graph)) == [["a", "b", "c"], ["e"]]


def test_the_import_reader_sees_imports_inside_functions():
    history = imported(MODULES["liangxin.web.core.templatetags.liangxin"])
    assert "liangxin.web.core.history" in history  # imported inside ``change_rows``


def test_no_file_imports_itself_round_a_loop():
    assert cycles(GRAPH) == []


def test_the_web_base_imports_no_web_app():
    """``core`` is what every app builds on; it reaches an app's models by name at most."""
    reaching = {
        (module, target)
        for module, targets in GRAPH.items()
        if app_of(module) == "core"
        for target in targets
        if app_of(target) not in (None, "core")
    }
    assert reaching == set()


def test_the_settings_import_no_web_app():
    """Settings are configuration; an app checks its own values when it starts."""
    for name in ("liangxin.web.settings", "liangxin.web.settings_production"):
        assert {t for t in GRAPH[name] if app_of(t)} == set(), name


# What runs the engine, or a step of it, as the command line's ``liangxin build`` does.
ENGINE_RUNS = {
    "liangxin.engine": {"run"},
    "liangxin.engine.pipeline": {"run"},
    "liangxin.engine.reconcile": {"reconcile"},
    "liangxin.engine.screen": {"screen"},
    "liangxin.engine.records": {"complete_records"},
    "liangxin.engine.build": {"build"},
}


def engine_runs_in(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module in ENGINE_RUNS:
            found |= {a.name for a in node.names} & ENGINE_RUNS[node.module]
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in ENGINE_RUNS}
    return found


def test_the_web_runs_the_engine_in_one_place():
    """``county/run.run_county`` is the web's one call of the engine's entry point; everything
    else in the web asks it (docs/architecture.md §1)."""
    callers = {
        str(path.relative_to(WEB)): runs
        for path in sorted(WEB.rglob("*.py"))
        if (runs := engine_runs_in(path))
    }
    assert callers == {"county/run.py": {"run"}}


def test_the_engine_step_finder_sees_a_call():
    assert engine_runs_in(PACKAGE / "engine" / "build.py") == {"run"}
