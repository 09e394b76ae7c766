"""The locks installed by make, CI and the image hold every top-level pin, at its version,
with hashes (run `make lock` after changing a pin)."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s;\\]+)", re.MULTILINE)


def pins(name: str) -> dict[str, str]:
    return {
        package.lower().replace("_", "-"): version
        for package, version in PIN.findall((ROOT / name).read_text())
    }


def test_each_lock_holds_its_pins_at_their_versions_with_hashes():
    for pinned, locked in (
        (pins("requirements.txt"), "requirements.lock"),
        ({**pins("requirements.txt"), **pins("requirements-dev.txt")}, "requirements-dev.lock"),
    ):
        lock = pins(locked)
        assert {package: lock.get(package) for package in pinned} == pinned, locked
        entries = re.split(r"\n(?=\S)", (ROOT / locked).read_text().strip())
        packages = [entry for entry in entries if not entry.startswith("#")]
        assert all("--hash=sha256:" in entry for entry in packages), locked
