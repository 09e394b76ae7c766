"""The import checks of `make lint` hold for the code as it is: import-linter's layers contract
(pyproject.toml) fails on an import that runs up the layers, and `devtools.import_circles` on
modules that import each other."""

import subprocess
import sys
from pathlib import Path

import grimp

from devtools.import_circles import circles

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports() -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )


def import_circles() -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "devtools.import_circles"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_imports_go_down_the_layers_and_an_upward_import_or_a_circle_breaks_the_check():
    # One test, so that no other worker checks the tree while a probe stands in it.
    kept = lint_imports()
    assert kept.returncode == 0, kept.stdout
    probe = ROOT / "core" / "_upward_probe.py"
    probe.write_text("import partners.models  # noqa: F401\n")
    try:
        broken = lint_imports()
    finally:
        probe.unlink()
    assert broken.returncode == 1
    assert "core._upward_probe -> partners.models" in broken.stdout

    no_circle = import_circles()
    assert no_circle.returncode == 0, no_circle.stdout
    assert "0 import circles" in no_circle.stdout
    first, second = ROOT / "core" / "_circle_probe_a.py", ROOT / "core" / "_circle_probe_b.py"
    first.write_text("from core import _circle_probe_b  # noqa: F401\n")
    second.write_text("def later():\n    from core import _circle_probe_a  # noqa: F401\n")
    try:
        circle = import_circles()
    finally:
        first.unlink()
        second.unlink()
    assert circle.returncode == 1
    assert "core._circle_probe_a, core._circle_probe_b" in circle.stdout
    assert "1 import circles" in circle.stdout


def test_the_circle_finder_names_each_group_of_modules_that_reach_each_other():
    graph = grimp.ImportGraph()
    for importer, imported in [
        ("app.a", "app.b"),
        ("app.b", "app.c"),
        ("app.c", "app.a"),  # a, b and c round a circle
        ("app.c", "app.d"),  # d only imported: outside it
        ("app.e", "app.f"),
        ("app.f", "app.e"),  # e and f import each other
        ("app.g", "app.a"),
    ]:
        graph.add_import(importer=importer, imported=imported)

    assert circles(graph, graph.modules) == [["app.a", "app.b", "app.c"], ["app.e", "app.f"]]

    graph.remove_import(importer="app.f", imported="app.e")
    graph.remove_import(importer="app.c", imported="app.a")
    assert circles(graph, graph.modules) == []
