"""How long a whole portfolio's files take to make, and the most memory they hold at once.

Part of `manage.py benchmark`: the funder's indicator table and summary, and the same for every
project of the portfolio (the national scale). Peak memory is what Python allocated at most
while the file was written (tracemalloc), on top of what the process already held."""

import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from django.db.models import QuerySet

from indicators.models import PortfolioSnapshot
from partners.models import Organisation, User
from projects.models import Project

from .exports import write_summary_pdf
from .iptt import write_iptt
from .models import Export
from .selectors import report_projects

Output = Callable[[str], object]


@dataclass(frozen=True)
class FileCost:
    seconds: float
    peak_bytes: int
    file_bytes: int
    projects: int


def measure(write: Callable[[], IO[bytes]], projects: int) -> FileCost:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        output = write()
        seconds = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    with output:
        size = output.seek(0, 2)
    return FileCost(seconds, peak, size, projects)


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
    out("Portfolio files, made in the background (time, peak Python memory, size):")
    costs = {}
    for name, (write, count) in cases.items():
        cost = measure(write, count)
        costs[name] = cost
        out(
            f"  {name:28} {count:>6,} projects {cost.seconds:8.2f} s "
            f"{cost.peak_bytes / 2**20:8.1f} MB {cost.file_bytes / 2**20:8.1f} MB"
        )
    return costs
