"""``filtering`` and ``gnn`` are siblings: what they share lives in ``edge_classifier``, and
neither imports the other (issue #27). Read with ``ast`` from the source files, so that an
import hidden inside a function counts too."""

from __future__ import annotations

import ast
from pathlib import Path

import trackgnn

PACKAGE = Path(trackgnn.__file__).parent


def imported_modules(path: Path) -> set[str]:
    """Absolute module names imported anywhere in ``path`` (``from x import y`` gives ``x`` and ``x.y``)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}:{node.lineno}: relative import"
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def imports_between(source: str, target: str) -> list[str]:
    files = sorted((PACKAGE / source).rglob("*.py"))
    assert files, f"no Python file below trackgnn/{source}"
    prefix = f"trackgnn.{target}"
    return [
        f"{path.relative_to(PACKAGE.parent)} imports {name}"
        for path in files
        for name in sorted(imported_modules(path))
        if name == prefix or name.startswith(prefix + ".")
    ]


def test_gnn_imports_nothing_from_filtering():
    assert imports_between("gnn", "filtering") == []


def test_filtering_imports_nothing_from_gnn():
    assert imports_between("filtering", "gnn") == []


def test_both_build_on_edge_classifier():
    assert imports_between("gnn", "edge_classifier") and imports_between("filtering", "edge_classifier")


def test_the_check_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from trackgnn.filtering.run import load_filter\n    import trackgnn.gnn.models\n")
    assert imported_modules(module) >= {
        "trackgnn.filtering.run",
        "trackgnn.filtering.run.load_filter",
        "trackgnn.gnn.models",
    }
