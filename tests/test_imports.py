"""The data flows one way: readers feed the outline, renderers read it.  A
renderer never imports the reader (what both need, the heading marker
families, lives beside the model in converter/markers.py)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "converter"


def _package_of(path: Path) -> str:
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return module.rsplit(".", 1)[0] if path.name != "__init__.py" else module.removesuffix(".__init__")


def _from_module(node: ast.ImportFrom, package: str) -> str:
    """The dotted module a ``from … import`` names, relative ones resolved."""
    if not node.level:
        return node.module or ""
    base = package.split(".")[: len(package.split(".")) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(path: Path) -> set[str]:
    """The converter modules ``path`` imports, as dotted names."""
    package = _package_of(path)
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("converter"))
        elif isinstance(node, ast.ImportFrom) and (name := _from_module(node, package)).startswith("converter"):
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
    assert "converter.markers" in _imports(PACKAGE / "render" / "pptx" / "plan.py")
    assert "converter.render.base" in _imports(PACKAGE / "render" / "docx" / "emit.py")
    assert "converter.model" in _imports(PACKAGE / "reader" / "structure.py")


FORMATS = ("docx", "pdf", "pptx")
DOCUMENT_LIBRARIES = ("docx", "pptx", "reportlab", "lxml", "fontTools", "zlib_ng")


def _libraries(path: Path) -> set[str]:
    """The top-level names of the packages ``path`` imports absolutely (at
    any depth: a lazy import inside a function counts)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            out.add(node.module.split(".")[0])
    return out


def test_each_format_is_a_subpackage_that_plans_then_emits():
    render = PACKAGE / "render"
    for fmt in FORMATS:
        assert {"__init__.py", "plan.py", "emit.py"} <= {p.name for p in (render / fmt).glob("*.py")}, fmt


def test_the_plans_and_the_shared_helpers_import_no_document_library():
    """What decides (plan, and the deck's text and fitting) is tested without
    python-docx, python-pptx or reportlab; only emit, oxml, template and fonts
    touch them."""
    render = PACKAGE / "render"
    pure = [render / "base.py", render / "layout.py", render / "ooxml_ns.py",
            *(render / fmt / "plan.py" for fmt in FORMATS), render / "pptx" / "fit.py", render / "pptx" / "text.py"]
    for path in pure:
        assert not _libraries(path) & set(DOCUMENT_LIBRARIES), path.relative_to(PACKAGE)


def test_one_ooxml_namespace_table():
    """The .docx and .pptx code name the OOXML namespace URIs only through
    converter/render/ooxml_ns.py."""
    holders = [str(p.relative_to(PACKAGE)) for p in sorted((PACKAGE / "render").rglob("*.py"))
               if "schemas.openxmlformats.org" in p.read_text("utf-8")]
    assert holders == ["render/ooxml_ns.py"]


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
    """The workers (converter.distributed) implement the service's protocol
    for converting one file of a job; the service never imports the workers:
    the front door (`converter serve`) passes their converter in."""
    graph = _graph()
    assert "converter.distributed" not in graph.get("converter.service", set())
    assert "converter.service" not in graph.get("converter.reader", set())
    assert "converter.reader" not in graph.get("converter.render", set())


# What converter.distributed may import from the service: the public protocol
# for converting one file of a job (its types, and the errors a converter
# raises for a conversion that could not finish).  Nothing else: no runner to
# subclass, no private method to override.
SERVICE_PROTOCOL = "converter.service.job_files"


def _imported_names(path: Path) -> list[tuple[str, str]]:
    """(module, name) for each ``from converter... import name`` in ``path``."""
    package = _package_of(path)
    out = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and (name := _from_module(node, package)).startswith("converter"):
            out += [(name, alias.name) for alias in node.names]
    return out


def test_the_workers_use_the_service_only_through_its_job_file_protocol():
    paths = sorted((PACKAGE / "distributed").rglob("*.py"))
    assert paths
    for path in paths:
        service = {i for i in _imports(path) if i == "converter.service" or i.startswith("converter.service.")}
        assert service <= {SERVICE_PROTOCOL}, (path.name, service)
        private = [(m, n) for m, n in _imported_names(path) if n.startswith("_")]
        assert not private, (path.name, private)
    assert any(SERVICE_PROTOCOL in _imports(p) for p in paths)  # the walker sees the import it allows


def test_the_protocol_module_names_only_public_service_parts():
    """job_files is small: the protocol, its types and three of the service's
    errors; it does not reach into the job runner or the pool."""
    path = PACKAGE / "service" / "job_files.py"
    assert _imports(path) <= {"converter.model", "converter.service.errors"}


# What opens and parses font files.  The service's health check still parses
# each bundled font itself (service/health.py `_parse_font`, fontTools); it
# belongs in converter/fonts/ too, and leaves this list when it moves.
FONT_PARSERS = ("fontTools", "reportlab.pdfbase.ttfonts")
FONT_PARSING_OUTSIDE_FONTS = {"service/health.py"}


def _font_parser_imports(path: Path) -> set[str]:
    """The font parsers ``path`` imports, at any depth."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
            [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else []
        if isinstance(node, ast.ImportFrom) and node.module == "reportlab.pdfbase":
            names += [f"reportlab.pdfbase.{a.name}" for a in node.names]
        out.update(p for n in names for p in FONT_PARSERS if n == p or n.startswith(p + "."))
    return out


def test_only_the_fonts_package_parses_font_files():
    """converter/fonts/ is the one place that opens a font: the renderers
    and the line breaker get files, faces and widths from it."""
    found = {str(p.relative_to(PACKAGE)): _font_parser_imports(p) for p in sorted(PACKAGE.rglob("*.py"))}
    outside = {k for k, v in found.items() if v and not k.startswith("fonts/")}
    assert outside == FONT_PARSING_OUTSIDE_FONTS
    assert found["fonts/subset.py"] == {"reportlab.pdfbase.ttfonts", "fontTools"}  # the walker sees lazy imports
    assert found["fonts/metrics.py"] == {"fontTools"}


def test_the_fonts_package_imports_no_renderer_and_no_reader():
    for path in sorted((PACKAGE / "fonts").rglob("*.py")):
        bad = [i for i in _imports(path) if i.startswith(("converter.render", "converter.reader", "converter.service"))]
        assert not bad, (path.name, bad)


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle in ``graph`` (as the list of its nodes), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_packages_import_each_other_without_a_cycle():
    """Between converter's packages (reader, render, fonts, service,
    distributed) the imports form no cycle, lazy imports inside functions
    included: each can be read, tested and replaced from the ones it uses."""
    graph = _graph()
    assert {"converter.render", "converter.service", "converter.distributed"} <= set(graph)  # (the walker sees them)
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_the_cycle_finder_finds_one():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None
