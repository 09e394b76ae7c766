"""How long a whole portfolio's files take to make, and the most memory they hold at once.

Part of `manage.py benchmark`: the funder's indicator table and summary, and the same for every
project of the portfolio (the national scale). Peak memory is the process's peak resident size
while the file was written (Linux lets a process reset its high-water mark), beside its size
before; elsewhere, what Python allocated at most (tracemalloc), which slows the run."""

import logging
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.db.models import QuerySet

from dashboards.exports import write_summary_pdf
from dashboards.iptt import write_iptt
from dashboards.models import Export
from dashboards.selectors import report_projects
from indicators.models import PortfolioSnapshot
from partners.models import Organisation, User
from projects.models import Project

Output = Callable[[str], object]


@dataclass(frozen=True)
class FileCost:
    seconds: float
    peak_bytes: int
    file_bytes: int
    projects: int


@dataclass(frozen=True)
class Cost:
    """What a piece of work took: seconds, and the most memory the process held meanwhile."""

    seconds: float
    peak_bytes: int
    before_bytes: int  # what the process held when the work began
    what_peak: str  # which memory was measured


def measure(work: Callable[[], object]) -> Cost:
    resident = _reset_peak()
    before = _status_kb("VmRSS") * 1024 if resident else 0
    if not resident:
        tracemalloc.start()
    started = time.perf_counter()
    try:
        work()
        seconds = time.perf_counter() - started
        peak = _status_kb("VmHWM") * 1024 if resident else tracemalloc.get_traced_memory()[1]
    finally:
        if not resident:
            tracemalloc.stop()
    return Cost(
        seconds,
        peak,
        before,
        "peak resident size" if resident else "most Python allocated (tracemalloc)",
    )


def measure_file(write: Callable[[], IO[bytes]], projects: int) -> FileCost:
    written: list[IO[bytes]] = []
    cost = measure(lambda: written.append(write()))
    with written[0] as output:
        size = output.seek(0, 2)
    return FileCost(cost.seconds, cost.peak_bytes, size, projects)


def _reset_peak() -> bool:
    """Reset the peak resident size to the present one, where Linux allows it."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return _status_kb("VmHWM") > 0


def _status_kb(field: str) -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _summary(funder: Organisation, user: User, projects: QuerySet[Project]) -> IO[bytes]:
    export = Export(
        organisation=funder,
        kind=PortfolioSnapshot.Kind.FUNDER,
        format=Export.Format.PDF,
        requested_by=user,
        language="en",
        base_url="https://portal.example/",
    )
    return write_summary_pdf(export, projects, title="Benchmark", progress=lambda done: None)


def portfolio_files(funder: Organisation, user: User, out: Output) -> dict[str, FileCost]:
    funded = report_projects(user, funder, PortfolioSnapshot.Kind.FUNDER)
    every = Project.objects.order_by("title", "pk")
    cases: dict[str, tuple[Callable[[], IO[bytes]], int]] = {
        "funder's XLSX": (
            lambda: write_iptt(funded.iterator(chunk_size=500), title="Benchmark"),
            funded.count(),
        ),
        "funder's summary PDF": (lambda: _summary(funder, user, funded), funded.count()),
        "every project, XLSX": (
            lambda: write_iptt(every.iterator(chunk_size=500), title="Benchmark"),
            every.count(),
        ),
        "every project, summary PDF": (lambda: _summary(funder, user, every), every.count()),
    }
    # WeasyPrint tells each step of each PDF and each screen-only rule it skips: not figures.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    out(
        "Portfolio files, made in the background (time, peak resident memory, size), "
        f"from a process of {_status_kb('VmRSS') / 1024:.0f} MB:"
    )
    costs = {}
    for name, (write, count) in cases.items():
        cost = measure_file(write, count)
        costs[name] = cost
        out(
            f"  {name:28} {count:>6,} projects {cost.seconds:8.2f} s "
            f"{cost.peak_bytes / 2**20:8.1f} MB {cost.file_bytes / 2**20:8.1f} MB"
        )
    return costs
