"""The project's layout: layers, module sizes, docstrings, pages that only lay out."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import grimp
import networkx as nx
import pytest

from svd_geo.base.config import PROJECT_ROOT

MAX_MODULE_LINES = 400


def import_graph() -> nx.DiGraph:
    """Every import between svd_geo's modules, those inside functions included."""
    imports = grimp.build_graph("svd_geo", include_external_packages=False)
    graph = nx.DiGraph()
    for module in imports.modules:
        graph.add_node(module)
        graph.add_edges_from((module, target) for target in imports.find_modules_directly_imported_by(module))
    return graph


def _public_functions():
    for path in sorted((PROJECT_ROOT / "svd_geo").rglob("*.py")):
        if path.name.startswith("_") and path.name != "__init__.py":
            continue
        tree = ast.parse(path.read_text())
        scopes = [(None, tree.body)] + [
            (n.name, n.body) for n in tree.body if isinstance(n, ast.ClassDef) and not n.name.startswith("_")
        ]
        for owner, body in scopes:
            for node in body:
                if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                    yield f"{path.relative_to(PROJECT_ROOT)}:{owner + '.' if owner else ''}{node.name}", node


def _missing_sections(node: ast.FunctionDef) -> list[str]:
    doc = ast.get_docstring(node) or ""
    if any(isinstance(d, ast.Name) and d.id == "property" for d in node.decorator_list):
        return [] if doc else ["docstring"]
    missing = []
    arguments = [a for a in node.args.args + node.args.kwonlyargs if a.arg not in ("self", "cls")]
    if (arguments or node.args.vararg) and "Parameters\n" not in doc:
        missing.append("Parameters")
    returns = node.returns is not None and not (
        isinstance(node.returns, ast.Constant) and node.returns.value is None
    )
    if returns and "Returns\n" not in doc and "Yields\n" not in doc:
        missing.append("Returns")
    return missing


PAGES = sorted((PROJECT_ROOT / "pages").glob("*.py"))


# Library calls that compute: a page reaches them only through ui.cache.
UNCACHED = (
    "select_view",
    "sweep",
    "before_after",
    "run_hotspots",
    "run_coverage",
    "run_trends",
    "seasonality",
)


def test_library_does_not_import_streamlit():
    code = "import sys, svd_geo.cli.main, svd_geo.store.geopackage, svd_geo.store.demo, svd_geo.views.data, svd_geo.store.summary; assert 'streamlit' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_no_module_is_part_of_an_import_cycle():
    cycles = [sorted(c) for c in nx.strongly_connected_components(import_graph()) if len(c) > 1]
    assert cycles == []


def test_the_layers_contract_holds():
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint)], capture_output=True, text=True, cwd=PROJECT_ROOT, check=False)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "1 kept, 0 broken" in result.stdout


def test_no_module_is_over_400_lines():
    long = {
        str(path.relative_to(PROJECT_ROOT)): lines
        for path in (PROJECT_ROOT / "svd_geo").rglob("*.py")
        if (lines := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_every_public_function_has_numpydoc_sections():
    missing = {name: gaps for name, node in _public_functions() if (gaps := _missing_sections(node))}
    assert missing == {}


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_a_page_is_at_most_80_lines_and_computes_nothing_itself(page):
    text = page.read_text()
    assert len(text.splitlines()) <= 80
    assert [name for name in UNCACHED if re.search(rf"(?<![\w.]){name}\b", text)] == []
    assert "st.error(" not in text  # ui.errors shows library errors, escaped
