"""Run in a fresh process: check one file with the progress import, then print, as JSON, the
process's peak resident size and what the import said. A subprocess because only the
operating system sees all of it (libxml2, zlib and the XML parser allocate outside Python).

    python -m tests.hostile.import_one_file DATABASE FILE"""

import json
import os
import resource
import sys
from pathlib import Path
from typing import Any


def main(database: str, path: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portfolio.settings.test")
    import django

    django.setup()
    from django.core.exceptions import ValidationError

    from indicators.services import import_progress
    from tests.factories import IndicatorFactory, MembershipFactory, PartnershipFactory

    indicator: Any = IndicatorFactory(code="X1")
    membership: Any = MembershipFactory(role="editor")
    PartnershipFactory(project=indicator.project, organisation=membership.organisation)
    with open(path, "rb") as upload:
        try:
            outcome = import_progress(
                project=indicator.project,
                by=membership.user,
                upload=upload,
                name=Path(path).name,
                submit=False,
                commit=False,
            )
            messages = [problem.message for problem in outcome.problems]
        except ValidationError as error:
            messages = list(error.messages)
    print(json.dumps({"peak_mb": _peak_kb() / 1024, "messages": messages}))


def _peak_kb() -> int:
    """The peak resident size of this program. Not getrusage's ru_maxrss, which on Linux keeps
    the high-water mark of the process that forked this one (a large test runner) across exec;
    VmHWM belongs to this program's own memory."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


if __name__ == "__main__":
    main(*sys.argv[1:3])
