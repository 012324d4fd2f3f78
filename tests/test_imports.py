"""The data flows one way: readers feed the outline, renderers read it.  A
renderer never imports the reader (what both need, the heading marker
families, lives beside the model in converter/markers.py)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "converter"


def _imports(path: Path) -> set[str]:
    """The converter modules ``path`` imports, as dotted names."""
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    package = module.rsplit(".", 1)[0] if path.name != "__init__.py" else module.removesuffix(".__init__")
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("converter"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            if name.startswith("converter"):
                out.add(name)
    return out


def test_no_renderer_imports_the_reader():
    renderers = sorted((PACKAGE / "render").rglob("*.py"))
    assert renderers
    offenders = {str(p.relative_to(PACKAGE)): sorted(i for i in _imports(p) if i.startswith("converter.reader"))
                 for p in renderers}
    assert not {k: v for k, v in offenders.items() if v}


def test_the_reader_imports_no_renderer_and_no_front_door():
    for path in sorted((PACKAGE / "reader").rglob("*.py")):
        bad = [i for i in _imports(path) if i.startswith(("converter.render", "converter.service", "converter.cli", "converter.batch"))]
        assert not bad, (path.name, bad)


def test_the_import_walker_sees_relative_imports():
    assert "converter.markers" in _imports(PACKAGE / "render" / "deck_plan.py")
    assert "converter.model" in _imports(PACKAGE / "reader" / "structure.py")


def _graph() -> dict[str, set[str]]:
    """Package-level import graph: converter.<package> -> the converter.<package>s it imports."""
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE.parent).with_suffix("").parts
        source = ".".join(rel[:2]) if len(rel) > 2 else ".".join(rel)
        for target in _imports(path):
            parts = target.split(".")
            node = ".".join(parts[:2])
            if len(parts) > 1 and node != source and (PACKAGE / parts[1]).is_dir():
                graph.setdefault(source, set()).add(node)
    return graph


def test_the_service_and_the_workers_import_one_way():
    """The workers (converter.distributed) build on the service's job runner;
    the service never imports the workers: the front door passes the runner in."""
    graph = _graph()
    assert "converter.distributed" not in graph.get("converter.service", set())
    assert "converter.service" not in graph.get("converter.reader", set())
    assert "converter.reader" not in graph.get("converter.render", set())
