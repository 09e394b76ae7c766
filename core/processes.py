"""Celery worker processes of this project started from Python, for measurements and tests that
need real workers sharing this process's database and broker."""

import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connection


def wait_until(condition: Callable[[], bool], timeout: float, step: float = 0.1) -> float:
    """Seconds it took for `condition` to hold; raises AssertionError after `timeout`."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"not reached within {timeout} s")
        time.sleep(step)
    return time.monotonic() - start


def database_url() -> str:
    """The URL of the database this process is connected to, for a worker to share it."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


class CeleryProcess:
    """A `celery worker` or `celery beat` process of this project, with its log."""

    def __init__(self, *args: str, env: dict[str, str], ready: str):
        self.args, self.env, self.ready = args, env, ready
        self.log = Path(tempfile.mkstemp(prefix="celery-", suffix=".log")[1])
        self.process: subprocess.Popen | None = None

    def start(self) -> "CeleryProcess":
        self.log.write_text("")
        self.process = subprocess.Popen(  # noqa: S603 (this interpreter, our own arguments)
            [sys.executable, "-m", "celery", "-A", "portfolio", *self.args],
            cwd=Path(settings.BASE_DIR),
            env=self.env,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
        )
        wait_until(lambda: self.ready in self.log.read_text(), timeout=60, step=0.2)
        return self

    def kill(self) -> None:
        """Die at once, as a crashed or evicted worker does."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
