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


def test_imports_go_down_the_layers_and_an_upward_import_breaks_the_contract():
    # One test, so that no other worker checks the tree while the probe stands in it.
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
