"""The import contract of `make lint` (import-linter, pyproject.toml) holds for the code as it
is, and fails on an import that runs up the layers."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports() -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_imports_go_down_the_layers():
    result = lint_imports()
    assert result.returncode == 0, result.stdout


def test_an_import_up_the_layers_breaks_the_contract():
    probe = ROOT / "core" / "_upward_probe.py"
    probe.write_text("import partners.models  # noqa: F401\n")
    try:
        result = lint_imports()
    finally:
        probe.unlink()
    assert result.returncode == 1
    assert "core._upward_probe -> partners.models" in result.stdout
