"""House rules every module of ``culture_lint/`` keeps, read from the source with ``ast`` (nothing is imported):

- no import cycle between modules (runtime imports, deferred ones included; ``if TYPE_CHECKING:`` ones not);
- no module imports another module's ``_private`` name (``_`` itself, gettext's, is the exception);
- no function longer than 80 lines;
- every public module and public class has a docstring.

Offenders known when the test was written are listed below, each with the owner who fixes it. A fixed entry
must be removed (the test fails on an entry that no longer offends), so these lists only shrink.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "culture_lint"
MAX_FUNCTION_LINES = 80

# The package's lazy facade (``culture_lint.lint_text`` → api) is by design, not a dependency of the package.
FACADE_EDGES = {("culture_lint", "culture_lint.api")}

# Import edges that close a cycle today: (importer, imported) → owner.
ALLOWED_CYCLE_EDGES: dict[tuple[str, str], str] = {
    ("culture_lint.match.lexattrs", "culture_lint.cache"): "#16 speed helper (match/lexattrs.py)",
    ("culture_lint.match.lexattrs", "culture_lint.match.compiler"): "#16 speed helper (match/lexattrs.py)",
    ("culture_lint.match.lexattrs", "culture_lint.match.tokens"): "#16 speed helper (match/lexattrs.py)",
    ("culture_lint.web.live", "culture_lint.web.app"): "#21 live helper (web/live.py)",
    ("culture_lint.web.live", "culture_lint.web.server"): "#21 live helper (web/live.py)",
}

# module:function → owner
ALLOWED_LONG_FUNCTIONS: dict[str, str] = {
    "culture_lint/lsp/server.py:build_server": "#20/#22 editor helper",
    "culture_lint/web/app.py:create_app": "#20/#22 web helper",
}

# module:name → owner
ALLOWED_PRIVATE_IMPORTS: dict[str, str] = {
}

# module or module:Class → owner
ALLOWED_MISSING_DOCSTRINGS: dict[str, str] = {
    "culture_lint/lsp/server.py:CultureLintServer": "#20/#22 editor helper",
    "culture_lint/lsp/session.py:DocState": "#20/#22 editor helper",
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@lru_cache(maxsize=1)
def sources() -> dict[str, tuple[Path, ast.Module]]:
    return {module_name(p): (p, ast.parse(p.read_text(encoding="utf-8"), str(p)))
            for p in sorted(PACKAGE.rglob("*.py"))}


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _type_checking_only(tree: ast.Module) -> set[int]:
    """ids of import nodes inside ``if TYPE_CHECKING:`` blocks (types only, never run)."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = node.test
            name = test.id if isinstance(test, ast.Name) else test.attr if isinstance(test, ast.Attribute) else ""
            if name == "TYPE_CHECKING":
                out.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    return out


def imports(module: str, path: Path, tree: ast.Module):
    """(node, imported module, imported name or None) for every runtime import of a culture_lint module."""
    mods = sources()
    skip = _type_checking_only(tree)
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in mods:
                    yield node, alias.name, None
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                if sub in mods:
                    yield node, sub, None
                elif target in mods:
                    yield node, target, alias.name


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, (path, tree) in sources().items():
        graph[module] = {target for _n, target, _name in imports(module, path, tree)
                         if target != module and (module, target) not in FACADE_EDGES}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
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
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles():
    graph = import_graph()
    stale = [edge for edge in ALLOWED_CYCLE_EDGES if edge[1] not in graph.get(edge[0], set())]
    assert not stale, f"these imports are gone: remove them from ALLOWED_CYCLE_EDGES: {stale}"
    for a, b in ALLOWED_CYCLE_EDGES:
        graph[a].discard(b)
    found = cycles(graph)
    detail = [" ↔ ".join(c) + "\n    " + "\n    ".join(f"{a} → {b}" for a in c for b in sorted(graph[a] & set(c)))
              for c in found]
    assert not found, "import cycles (move the shared part to a neutral module):\n" + "\n".join(detail)


def test_allowed_cycle_edges_still_close_a_cycle():
    graph = import_graph()
    full = {frozenset(c) for c in cycles(graph)}
    stale = [edge for edge in ALLOWED_CYCLE_EDGES if not any(set(edge) <= c for c in full)]
    assert not stale, f"no longer part of a cycle: remove from ALLOWED_CYCLE_EDGES: {stale}"


def test_no_private_imports_across_modules():
    found = set()
    for module, (path, tree) in sources().items():
        for _node, target, name in imports(module, path, tree):
            if name and name.startswith("_") and not name.startswith("__") and name != "_" and target != module:
                found.add(f"{rel(path)}:{name}")
    new = sorted(found - set(ALLOWED_PRIVATE_IMPORTS))
    stale = sorted(set(ALLOWED_PRIVATE_IMPORTS) - found)
    assert not new, "imports of another module's private name (make it public or move it):\n" + "\n".join(new)
    assert not stale, f"fixed: remove from ALLOWED_PRIVATE_IMPORTS: {stale}"


def long_functions() -> dict[str, int]:
    out = {}
    for _module, (path, tree) in sources().items():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    out[f"{rel(path)}:{node.name}"] = length
    return out


def test_no_function_longer_than_80_lines():
    found = long_functions()
    new = sorted(f"{k} ({v} lines)" for k, v in found.items() if k not in ALLOWED_LONG_FUNCTIONS)
    stale = sorted(set(ALLOWED_LONG_FUNCTIONS) - set(found))
    assert not new, f"functions longer than {MAX_FUNCTION_LINES} lines:\n" + "\n".join(new)
    assert not stale, f"fixed: remove from ALLOWED_LONG_FUNCTIONS: {stale}"


def _public(path: Path) -> bool:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return not any(p.startswith("_") and p not in ("__init__", "__main__") for p in parts)


def missing_docstrings() -> set[str]:
    out = set()
    for _module, (path, tree) in sources().items():
        if not _public(path):
            continue
        if not ast.get_docstring(tree):
            out.add(rel(path))
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_") and not ast.get_docstring(node):
                out.add(f"{rel(path)}:{node.name}")
    return out


def test_public_modules_and_classes_have_docstrings():
    found = missing_docstrings()
    new = sorted(found - set(ALLOWED_MISSING_DOCSTRINGS))
    stale = sorted(set(ALLOWED_MISSING_DOCSTRINGS) - found)
    assert not new, "public modules/classes without a docstring:\n" + "\n".join(new)
    assert not stale, f"fixed: remove from ALLOWED_MISSING_DOCSTRINGS: {stale}"


# --- docs/architecture.md is kept by these ------------------------------------------------------------------

ARCHITECTURE = ROOT / "docs" / "architecture.md"
# the pipeline's stages in data-flow order, as the diagram draws them
PIPELINE = ["readers", "normalize", "match", "kinds", "engine", "suppress", "score", "report"]
ORCHESTRATOR = "engine"  # drives the stages after it: it may import them
# module → stage it may import out of order, with its owner
ALLOWED_STAGE_IMPORTS: dict[str, str] = {
    "culture_lint.normalize -> culture_lint.match.tokens": "#16 speed helper (LazyRegex belongs in a util)",
    "culture_lint.kinds.calendar -> culture_lint.fix": "#18 localization helper (fixable() for suggestions)",
}


def diagram() -> tuple[list[str], dict[str, list[str]]]:
    """The pipeline chain drawn in docs/architecture.md and the paths each node names."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    block = text.split("```mermaid", 1)[1].split("```", 1)[0]
    import re

    paths = {node: re.findall(r"culture_lint/[\w/.]*", label)
             for node, label in re.findall(r'(\w+)\[+\(?"([^"]*)"', block)}
    chain: list[str] = []
    for a, b in re.findall(r"^\s*(\w+)(?:\[[^\]]*\])?\s*-->\s*(\w+)", block, re.M):
        if not chain:
            chain.append(a)
        assert chain[-1] == a, f"the diagram's solid arrows must form one chain ({a} after {chain[-1]})"
        chain.append(b)
    return chain, paths


def _stage_of(module: str, paths: dict[str, list[str]]) -> int | None:
    for i, node in enumerate(PIPELINE):
        for path in paths.get(node, []):
            name = path.rstrip("/").removesuffix(".py").replace("/", ".")
            if module == name or module.startswith(name + "."):
                return i
    return None


def test_the_diagram_draws_the_pipeline_with_real_modules():
    chain, paths = diagram()
    assert chain == PIPELINE
    for node, node_paths in paths.items():
        assert node_paths, node
        for path in node_paths:
            assert (ROOT / path).exists(), f"docs/architecture.md names {path}, which does not exist"


def test_no_stage_imports_a_later_one():
    _chain, paths = diagram()
    graph = import_graph()
    found = set()
    for module, targets in graph.items():
        stage = _stage_of(module, paths)
        if stage is None or PIPELINE[stage] == ORCHESTRATOR:
            continue
        for target in targets:
            later = _stage_of(target, paths)
            if later is not None and later > stage:
                found.add(f"{module} -> {target}")
    new = sorted(found - set(ALLOWED_STAGE_IMPORTS))
    stale = sorted(set(ALLOWED_STAGE_IMPORTS) - found)
    assert not new, "a stage imports a later stage (data flows one way):\n" + "\n".join(new)
    assert not stale, f"fixed: remove from ALLOWED_STAGE_IMPORTS: {stale}"


def test_the_architecture_page_names_every_top_level_module():
    text = ARCHITECTURE.read_text(encoding="utf-8")
    table = text.split("## Where each thing lives", 1)[1].split("\n## ", 1)[0]
    for path in sorted(PACKAGE.iterdir()):
        if path.name.startswith(".") or path.name == "__pycache__" or (path.is_file() and path.suffix != ".py"):
            continue
        name = path.name + ("/" if path.is_dir() else "")
        assert f"`{name}`" in table or f"`culture_lint/{name}`" in table or f"{name}`" in table, \
            f"docs/architecture.md does not say where {name} fits"
