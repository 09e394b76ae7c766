import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory):
    """An SQLite database with every migration applied, made once and copied for each run."""
    path = tmp_path_factory.mktemp("migrated") / "portal.sqlite3"
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{path}"}
    environment.setdefault("DJANGO_SETTINGS_MODULE", "portfolio.settings.test")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity=0"],
        cwd=ROOT,
        env=environment,
        check=True,
    )
    return path


@pytest.fixture
def fresh_database(migrated_database, tmp_path):
    copy = tmp_path / "portal.sqlite3"
    shutil.copy(migrated_database, copy)
    return copy
