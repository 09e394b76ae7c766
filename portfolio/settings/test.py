import atexit
import os
import shutil
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import CACHES, DATABASES, INSTALLED_APPS, env


def _remove_when_done(prefix: Path) -> None:
    """Whatever this process leaves under names starting with `prefix` goes when it exits.
    Nothing is created here: a process that only reads the settings leaves nothing behind."""

    def remove() -> None:
        for path in prefix.parent.glob(f"{prefix.name}*"):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)

    atexit.register(remove)


if "devtools" not in INSTALLED_APPS:
    INSTALLED_APPS.append("devtools")

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="test-only-secret-key")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests run tasks in-process even with REDIS_URL set; the tests that need a real worker start
# one and switch this off for themselves.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
MEDIA_ROOT = Path(tempfile.gettempdir()) / f"portfolio-test-media-{os.getpid()}"
_remove_when_done(MEDIA_ROOT)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Generated API requests come by the thousand; the throttle has its own test.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"user": "100000/minute"},
}

WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True

# SQLite's test database in a file, not in memory: the browser tests' server thread and the test
# thread then share it as processes share the real one (WAL, waiting for the write lock), where
# an in-memory database shared between threads fails at once with "table is locked". In shared
# memory where the machine has it, so that it costs no more than one in memory.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _shared_memory = Path("/dev/shm")  # noqa: S108 (a test database of this process only)
    _test_database = (
        _shared_memory if _shared_memory.is_dir() else Path(tempfile.gettempdir())
    ) / f"portfolio-test-{os.getpid()}.sqlite3"
    DATABASES["default"]["TEST"] = {"NAME": str(_test_database)}
    # Django removes the database, not its WAL files, nor the "_gw0" copies of parallel runs.
    _remove_when_done(_test_database)

# Tests run in parallel (pytest -n) share Redis: each test process, and the Celery workers it
# starts (which inherit its PYTEST_XDIST_WORKER), keep their cache keys and their queue apart
# from the other processes'.
_test_process = os.environ.get("PYTEST_XDIST_WORKER", "")
if _test_process:
    CACHES["default"]["KEY_PREFIX"] = _test_process
    if "CELERY_QUEUE" not in os.environ:
        CELERY_TASK_DEFAULT_QUEUE = f"celery-{_test_process}"
