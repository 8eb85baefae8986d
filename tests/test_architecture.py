"""The package's shape is part of its contract: stages as folders, each with its
rule in its docstring, imports that only go forward, no module over 400 lines.

Each rule is checked on the real package, and each checker is first shown to
catch a small package built to break it."""

from __future__ import annotations

import ast
import importlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "pipeline"
TOP_LEVEL = {"__init__.py", "__main__.py", "cli.py", "config.py", "errors.py"}
MAX_LINES = 400
# What a stage must never import, beyond the import order itself.
FORBIDDEN = {
    "reading": {"jinja2", "weasyprint"},
    "parity": {"jinja2"},
    "language": {"pipeline"},
    "audit": {"jinja2", "weasyprint", "pipeline.build", "pipeline.render"},
    "facts": {"weasyprint"},
}


@dataclass
class Package:
    """The modules of a package and what each imports (at any level: module, function, type checking)."""

    root: Path
    imports: dict[str, set[str]] = field(default_factory=dict)
    names: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    """module -> (imported module, imported name) for every `from X import name`."""
    packages: set[str] = field(default_factory=set)

    @classmethod
    def read(cls, root: Path) -> Package:
        package = cls(root)
        for path in sorted(root.rglob("*.py")):
            module = package.module_name(path)
            if path.name == "__init__.py":
                package.packages.add(module)
            package.imports[module] = set()
            package.names[module] = []
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    package.imports[module] |= {alias.name for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    package.imports[module].add(node.module)
                    package.names[module] += [(node.module, alias.name) for alias in node.names]
        return package

    def module_name(self, path: Path) -> str:
        parts = path.relative_to(self.root.parent).with_suffix("").parts
        return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)

    def stage(self, module: str) -> str | None:
        if not module.startswith(self.root.name + "."):
            return None
        parts = module.split(".")
        return parts[1] if len(parts) > 2 or (len(parts) == 2 and (self.root / parts[1]).is_dir()) else None

    def internal(self) -> dict[str, set[str]]:
        """Module -> the package's modules it uses; a name taken from a stage counts as its defining module."""
        prefix = self.root.name + "."
        exports = self.exports()
        graph: dict[str, set[str]] = {}
        for module, imported in self.imports.items():
            # A name taken from a package is a name of the module that defines it, not of the package.
            targets = {name for name in imported if name in self.imports and name not in self.packages}
            for source, name in self.names[module]:
                if f"{source}.{name}" in self.imports:
                    targets.add(f"{source}.{name}")
                elif source in exports and name in exports[source]:
                    targets.add(exports[source][name])
            graph[module] = {target for target in targets if target.startswith(prefix) and target != module}
        return graph

    def exports(self) -> dict[str, dict[str, str]]:
        """stage package -> {name: module} from its __init__'s _EXPORTS table."""
        found: dict[str, dict[str, str]] = {}
        for init in self.root.glob("*/__init__.py"):
            for node in ast.parse(init.read_text(encoding="utf-8")).body:
                if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "_EXPORTS" for t in node.targets):
                    found[self.module_name(init)] = ast.literal_eval(node.value)
        return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one member (Tarjan), or a module importing itself."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def reaches_inside(package: Package) -> list[str]:
    """Imports of another stage's module rather than of the names the stage exports."""
    found = []
    for module, imported in package.imports.items():
        for name in imported:
            target = package.stage(name)
            if target is not None and target != package.stage(module) and name.count(".") > 1:
                found.append(f"{module} imports {name}")
        for source, name in package.names[module]:
            inside = f"{source}.{name}"
            if inside in package.imports and package.stage(inside) != package.stage(module):
                found.append(f"{module} imports {inside}")
    return sorted(found)


def stage_graph(package: Package) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, targets in package.internal().items():
        here = package.stage(module) or module
        graph.setdefault(here, set()).update(
            there for target in targets if (there := package.stage(target) or target) != here
        )
    return graph


# The checkers catch what they are for ----------------------------------------------------


def fake(tmp_path: Path, files: dict[str, str]) -> Package:
    for name, text in files.items():
        path = tmp_path / "fake" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return Package.read(tmp_path / "fake")


def test_the_checkers_catch_a_cycle_a_reach_inside_and_a_backward_stage(tmp_path: Path) -> None:
    package = fake(
        tmp_path,
        {
            "__init__.py": "",
            "one/__init__.py": '_EXPORTS = {"b": "fake.one.b"}\n',
            "one/a.py": "from fake.one.b import x\n",
            "one/b.py": "def f():\n    from fake.one.a import y\n",  # a cycle through a lazy import
            "two/__init__.py": "",
            "two/c.py": "from fake.one.a import y\nfrom fake.one import b\n",
            "three.py": "from fake.one import b\n",
            "one/d.py": "from fake.two.c import z\n",
        },
    )
    assert cycles(package.internal()) == [["fake.one.a", "fake.one.b"]]
    assert reaches_inside(package) == [
        "fake.one.d imports fake.two.c",
        "fake.three imports fake.one.b",
        "fake.two.c imports fake.one.a",
        "fake.two.c imports fake.one.b",
    ]
    assert cycles(stage_graph(package)) == [["one", "two"]]


# The real package --------------------------------------------------------------------------------


PIPELINE = Package.read(PACKAGE)


def test_only_the_command_line_errors_and_configuration_sit_at_the_top() -> None:
    assert {p.name for p in PACKAGE.glob("*.py")} == TOP_LEVEL
    assert all(
        (folder / "__init__.py").exists()
        for folder in PACKAGE.iterdir()
        if folder.is_dir() and folder.name != "__pycache__"
    )


@pytest.mark.parametrize("stage", sorted(p.name for p in PACKAGE.glob("*/__init__.py") for p in [p.parent]))
def test_every_stage_says_what_it_takes_gives_and_never_does(stage: str) -> None:
    doc = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text(encoding="utf-8"))) or ""
    for word in ("Takes:", "Gives:", "Never:"):
        assert word in doc, f"pipeline/{stage}/__init__.py: the docstring has no {word!r}"


def test_no_import_circle_between_modules() -> None:
    assert cycles(PIPELINE.internal()) == []


def test_stages_import_each_other_in_one_direction_only() -> None:
    assert cycles(stage_graph(PIPELINE)) == []


def test_stages_use_only_what_other_stages_export() -> None:
    assert reaches_inside(PIPELINE) == []


def test_every_export_resolves_and_is_listed() -> None:
    for stage, table in PIPELINE.exports().items():
        # A name shared with a submodule would be shadowed by it once the submodule is imported.
        submodules = {path.stem for path in (PACKAGE.parent / stage.replace(".", "/")).glob("*.py")}
        assert not submodules & set(table), (stage, submodules & set(table))
        module = importlib.import_module(stage)
        assert sorted(module.__all__) == sorted(table), stage
        for name in table:
            assert getattr(module, name) is getattr(importlib.import_module(table[name]), name)


@pytest.mark.parametrize("stage", sorted(FORBIDDEN))
def test_stages_keep_their_rule(stage: str) -> None:
    imported = {
        name
        for module, names in PIPELINE.imports.items()
        if PIPELINE.stage(module) == stage
        for name in names
        if PIPELINE.stage(name) != stage
    }
    broken = sorted(
        name for name in imported for rule in FORBIDDEN[stage] if name == rule or name.startswith(rule + ".")
    )
    assert broken == [], f"pipeline/{stage}/ imports {broken}"


def test_no_module_is_over_the_size_limit() -> None:
    sizes = {
        path.relative_to(ROOT).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in PACKAGE.rglob("*.py")
    }
    assert {path: size for path, size in sizes.items() if size > MAX_LINES} == {}


def documented_order() -> list[str]:
    """The stages in the order docs/architecture.md's table lists them."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    return re.findall(r"^\| `([a-z0-9_]+)` \|", text, flags=re.MULTILINE)


def test_stages_import_only_stages_listed_above_them_in_the_architecture_document() -> None:
    order = documented_order()
    assert sorted(order) == sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py"))
    upward = [
        f"{stage} imports {other}"
        for stage, others in stage_graph(PIPELINE).items()
        if stage in order
        for other in others
        if other in order and order.index(other) > order.index(stage)
    ]
    assert upward == []
