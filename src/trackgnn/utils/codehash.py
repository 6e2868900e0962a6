"""Digests of the code a stage command runs, used as Snakemake ``params`` values so that
editing any module a stage executes reruns that stage (Snakemake does not see Python modules
called from ``shell:``), and editing anything else reruns nothing.

The files are found, not listed by hand: starting from the function a ``trackgnn``
subcommand dispatches to, :func:`module_closure` follows the ``import`` statements of the
``trackgnn`` package (at module level and inside functions, since the stages import lazily),
the package ``__init__`` files each import runs, the models a registry folder imports
(``import_submodules``), modules named by dotted strings (``importlib`` dispatch tables), and
the C++ sources of modules that load a compiled extension. Two refinements keep it tight:

- in the command's own CLI module only the dispatched function, the functions it calls and
  the module-level statements count (``trackgnn summary`` and ``trackgnn evaluate`` share a
  file but not their imports); the other CLI modules only add their argparse subcommands and
  are left out;
- a package's lazy ``__getattr__`` contributes only the branches of the names imported from
  it (``from trackgnn.graph_construction import build_graphs`` runs ``build.py``, not
  ``train.py``).
"""

from __future__ import annotations

import ast
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
ROOT_NAME = PACKAGE.name
_DOTTED = re.compile(rf"^{ROOT_NAME}(\.[A-Za-z_][A-Za-z0-9_]*)+$")


def module_file(name: str) -> Path | None:
    """The source file of module ``trackgnn.x.y`` (``x/y.py`` or ``x/y/__init__.py``)."""
    if name != ROOT_NAME and not name.startswith(ROOT_NAME + "."):
        return None
    base = PACKAGE.joinpath(*name.split(".")[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _parents(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def _resolve_from(node: ast.ImportFrom, current: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = current.split(".") if is_package else current.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


@dataclass
class _Imports:
    """What one piece of code imports: ``modules`` whole, ``names`` requested from each."""

    modules: set[str] = field(default_factory=set)
    names: dict[str, set[str]] = field(default_factory=dict)

    def add_from(self, module: str, name: str) -> None:
        submodule = f"{module}.{name}"
        if module_file(submodule) is not None:
            self.modules.add(submodule)
        self.modules.add(module)
        self.names.setdefault(module, set()).add(name)


def _collect(nodes: list[ast.AST], current: str, is_package: bool, out: _Imports) -> None:
    for root in nodes:
        for node in ast.walk(root):
            if isinstance(node, ast.Import):
                out.modules.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                module = _resolve_from(node, current, is_package)
                for alias in node.names:
                    out.add_from(module, alias.name)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and _DOTTED.match(node.value):
                out.modules.add(node.value)
            elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "import_submodules":
                folder = PACKAGE.joinpath(*current.split(".")[1:])
                folder = folder if is_package else folder.parent
                out.modules.update(
                    f"{current if is_package else current.rsplit('.', 1)[0]}.{p.stem}"
                    for p in sorted(folder.glob("*.py"))
                    if not p.stem.startswith("_")
                )


def _getattr_branches(func: ast.FunctionDef, wanted: set[str]) -> list[ast.AST]:
    """The statements of a lazy ``__getattr__`` that serve the ``wanted`` names."""
    picked: list[ast.AST] = []
    for node in ast.walk(func):
        if isinstance(node, ast.If):
            names = {c.value for c in ast.walk(node.test) if isinstance(c, ast.Constant) and isinstance(c.value, str)}
            if names & wanted:
                picked.extend(node.body)
    return picked


def _module_imports(name: str, path: Path, wanted: set[str] | None, entry: str | None) -> _Imports:
    tree = ast.parse(path.read_text(), filename=str(path))
    is_package = path.name == "__init__.py"
    out = _Imports()
    defs = {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    top = [n for n in tree.body if n not in defs.values()]
    if entry is not None:  # the command's CLI module: the entry function and what it calls
        chosen, queue = set(), [entry]
        while queue:
            fname = queue.pop()
            if fname in chosen or fname not in defs:
                continue
            chosen.add(fname)
            queue.extend(n.id for n in ast.walk(defs[fname]) if isinstance(n, ast.Name))
        _collect(top + [defs[f] for f in chosen], name, is_package, out)
        return out
    lazy = defs.get("__getattr__")
    _collect(top + [d for k, d in defs.items() if k != "__getattr__"], name, is_package, out)
    if isinstance(lazy, ast.FunctionDef) and wanted:
        _collect(_getattr_branches(lazy, wanted), name, is_package, out)
    return out


def module_closure(module: str, entry: str | None = None) -> list[Path]:
    """The ``trackgnn`` source files running ``module`` (from its function ``entry``) can execute.

    Returns:
        sorted paths: ``.py`` files, plus the ``.cpp`` sources beside modules that load a
        compiled extension through ``ctypes``.
    """
    files: set[Path] = set()
    requested: dict[str, set[str]] = {}
    done: dict[str, frozenset[str]] = {}
    queue: list[tuple[str, str | None]] = [(module, entry)]
    for parent in _parents(module):
        queue.append((parent, None))
    cli_package = f"{ROOT_NAME}.cli"
    while queue:
        name, fn = queue.pop()
        path = module_file(name)
        if path is None:
            continue
        wanted = frozenset(requested.get(name, set()))
        if name in done and done[name] >= wanted and fn is None:
            continue
        done[name] = wanted | done.get(name, frozenset())
        files.add(path)
        source = path.read_text()
        if "ctypes" in source:
            files.update(path.parent.glob("*.cpp"))
        imports = _module_imports(name, path, set(done[name]), fn)
        for target, names in imports.names.items():
            requested.setdefault(target, set()).update(names)
        for target in imports.modules:
            # other CLI modules only register their subcommands: not part of a stage's code
            if target.startswith(cli_package + ".") and target != module and target != f"{cli_package}.common":
                continue
            for parent in _parents(target):
                queue.append((parent, None))
            queue.append((target, None))
    return sorted(files)


def digest_files(files: list[Path]) -> str:
    """sha256 (16 hex digits) over the files' package-relative names and contents."""
    digest = hashlib.sha256()
    for file in sorted(files):
        digest.update(str(file.relative_to(PACKAGE)).encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def command_closure(command: str) -> list[Path]:
    """The source files of ``trackgnn <command>``: its CLI function's import closure."""
    from trackgnn.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    if command not in sub.choices:
        raise KeyError(f"no trackgnn subcommand '{command}'; known: {sorted(sub.choices)}")
    func = sub.choices[command].get_default("func")
    return module_closure(func.__module__, func.__name__)


def command_hash(command: str) -> str:
    """Digest of the code ``trackgnn <command>`` runs (a rule's ``params.code``)."""
    return digest_files(command_closure(command))


def code_hash(*parts: str) -> str:
    """sha256 (16 hex digits) over the ``.py`` files of the given package parts (files or
    folders relative to the package): for code that is not reached by imports."""
    files: list[Path] = []
    for part in parts:
        path = PACKAGE / part
        if not path.exists():
            raise FileNotFoundError(f"code_hash: {path} does not exist")
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return digest_files(files)
