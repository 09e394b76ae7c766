"""Single-machine mode: two people approving at the same moment on SQLite both succeed.

Each writer reads, thinks, then writes, as an approval does (read the update under a lock, then
save it). Both start together, on their own connection to one database file, configured the way
the settings configure SQLite.
"""

import threading
import time
from pathlib import Path

from django.db.backends.sqlite3.base import DatabaseWrapper

from portfolio.settings.base import SQLITE_OPTIONS


def connect(path: Path, options: dict) -> DatabaseWrapper:
    return DatabaseWrapper(
        {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            "OPTIONS": options,
            "TIME_ZONE": None,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
            "USER": "",
            "PASSWORD": "",
            "HOST": "",
            "PORT": "",
            "TEST": {},
        },
        alias="concurrency-test",
    )


def two_simultaneous_writers(path: Path, options: dict) -> tuple[int, list[str]]:
    setup = connect(path, options)
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE approvals (count INTEGER)")
        cursor.execute("INSERT INTO approvals VALUES (0)")
    setup.close()
    start = threading.Barrier(2)
    errors: list[str] = []

    def approve() -> None:
        db = connect(path, options)
        try:
            start.wait()
            db.ensure_connection()
            # What transaction.atomic() does first.
            db._start_transaction_under_autocommit()  # type: ignore[attr-defined]
            with db.cursor() as cursor:
                cursor.execute("SELECT count FROM approvals")
                seen = cursor.fetchone()[0]
                time.sleep(0.2)
                cursor.execute("UPDATE approvals SET count = %s", [seen + 1])
            db.commit()
        except Exception as error:
            errors.append(str(error))
        finally:
            db.close()

    workers = [threading.Thread(target=approve) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
    check = connect(path, options)
    with check.cursor() as cursor:
        cursor.execute("SELECT count FROM approvals")
        count = cursor.fetchone()[0]
    check.close()
    return count, errors


def test_two_simultaneous_approvals_both_land_instead_of_database_is_locked(
    tmp_path, django_db_blocker
):
    with django_db_blocker.unblock():
        count, errors = two_simultaneous_writers(tmp_path / "portal.sqlite3", SQLITE_OPTIONS)
    assert errors == []
    assert count == 2


def test_without_those_settings_one_of_them_fails(tmp_path, django_db_blocker):
    """The failure the settings prevent, shown on the same two writers."""
    with django_db_blocker.unblock():
        count, errors = two_simultaneous_writers(tmp_path / "plain.sqlite3", {"timeout": 20})
    assert any("database is locked" in error for error in errors)
    assert count == 1
