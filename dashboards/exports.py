"""A whole portfolio's files, made in the background: the indicator table (XLSX, every project)
and the summary (PDF, a row per project linking to its report).

Asking for one records who asked, for which dashboard, in which language; the work then reads
what that person may see, project by project, and records how far it has gone. The file is
theirs alone, and only while they may still open the dashboard."""

import tempfile
from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.pdf import static_fetcher
from indicators import progress
from indicators.models import PortfolioSnapshot, ProjectSnapshot
from partners.models import User
from projects.models import Project
from projects.selectors import implementers_prefetch

from .iptt import CHUNK, write_iptt
from .models import Export
from .selectors import dashboard_organisation, report_projects

Progress = Callable[[int], None]


@transaction.atomic
def request_export(
    *, by: User, organisation_pk: int, kind: str, format: str, language: str, base_url: str
) -> Export:
    """Record the request; 404 when `by` may not open that dashboard."""
    organisation = dashboard_organisation(by, organisation_pk, kind)
    if format not in Export.Format.values:
        raise ValidationError({"format": _("Choose the indicator table or the summary.")})
    return Export.objects.create(
        organisation=organisation,
        kind=kind,
        format=format,
        requested_by=by,
        language=language,
        base_url=base_url,
    )


def export_for(user: User, pk: int) -> Export:
    """One of the user's own files, while they may still open its dashboard; else 404."""
    try:
        export = Export.objects.select_related("organisation").get(pk=pk, requested_by=user)
    except Export.DoesNotExist:
        raise Http404 from None
    dashboard_organisation(user, export.organisation_id, export.kind)
    return export


WAITING = timedelta(minutes=1)
KEPT = timedelta(days=7)  # how long a made file waits for its download


def waiting_exports() -> list[int]:
    """Files asked for over a minute ago and still waiting to start."""
    since = timezone.now() - WAITING
    return list(
        Export.objects.filter(status=Export.Status.QUEUED, created_at__lt=since)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def delete_old_exports() -> int:
    """Files asked for over a week ago go, with their requests: a portfolio's figures move on,
    and the person can ask again. Returns how many went."""
    old = list(Export.objects.filter(created_at__lt=timezone.now() - KEPT))
    for export in old:
        if export.file:
            export.file.delete(save=False)
        export.delete()
    return len(old)


def build_export(export_id: int) -> None:
    """Make the file, recording the projects done as it goes. Once finished, run again it does
    nothing; a run cut short (its worker killed) starts over when the task comes back."""
    export = (
        Export.objects.select_related("organisation", "requested_by").filter(pk=export_id).first()
    )
    if export is None or export.finished:
        return
    with translation.override(export.language):
        projects = report_projects(export.requested_by, export.organisation, export.kind)
        total = projects.count()
        _record(export, status=Export.Status.RUNNING, projects_total=total)

        def progress(done: int) -> None:
            _record(export, projects_done=done)

        try:
            output, name = _write(export, projects, progress)
            with output:
                export.file.save(name, File(output), save=False)
        except Exception:
            _record(export, status=Export.Status.FAILED, finished_at=timezone.now())
            raise
        _record(
            export,
            file=export.file.name,
            status=Export.Status.DONE,
            projects_done=total,
            finished_at=timezone.now(),
        )


def _record(export: Export, **fields: Any) -> None:
    Export.objects.filter(pk=export.pk).update(**fields)
    for name, value in fields.items():
        setattr(export, name, value)


def _write(export: Export, projects: Any, progress: Progress) -> tuple[IO[bytes], str]:
    title = _("%(organisation)s: %(portfolio)s") % {
        "organisation": export.organisation.name,
        "portfolio": PortfolioSnapshot.Kind(export.kind).label,
    }
    stem = f"{slugify(export.organisation.short_name)}-{export.kind}"
    if export.format == Export.Format.XLSX:
        output = write_iptt(projects.iterator(chunk_size=500), title=title, progress=progress)
        return output, f"iptt-{stem}.xlsx"
    return write_summary_pdf(
        export, projects, title=title, progress=progress
    ), f"summary-{stem}.pdf"


def _summary_rows(export: Export, projects: Any, progress: Progress) -> Iterator[dict[str, Any]]:
    done = 0
    for project in (
        projects.select_related("snapshot")
        .prefetch_related(implementers_prefetch())
        .iterator(chunk_size=CHUNK)
    ):
        yield _summary_row(export, project)
        done += 1
        if done % CHUNK == 0:
            progress(done)
    progress(done)


def _summary_row(export: Export, project: Project) -> dict[str, Any]:
    snapshot: ProjectSnapshot | None = getattr(project, "snapshot", None)
    return {
        "project": project,
        "implementers": ", ".join(
            p.organisation.short_name for p in getattr(project, "implementers", [])
        ),
        "snapshot": snapshot,
        "report_url": export.base_url.rstrip("/") + reverse("project-report", args=[project.pk]),
    }


def write_summary_pdf(
    export: Export, projects: Any, *, title: str, progress: Progress
) -> IO[bytes]:
    """The summary, a row per project with a link to its report, tagged PDF/UA-1."""
    from weasyprint import HTML

    rows = list(_summary_rows(export, projects, progress))
    html = render_to_string(
        "reports/portfolio.html",
        {
            "title": title,
            "rows": rows,
            "totals": _totals(rows),
            "generated_at": timezone.now(),
            "language": export.language,
        },
    )
    base = export.base_url
    output = tempfile.TemporaryFile()  # noqa: SIM115 (build_export closes it)
    HTML(string=html, url_fetcher=static_fetcher(base), base_url=base).write_pdf(
        output, pdf_variant="pdf/ua-1"
    )
    output.seek(0)
    return output


STATUS_FIELDS = progress.STATUS_ORDER


def _totals(rows: Iterable[dict[str, Any]]) -> dict[str, int]:
    totals = dict.fromkeys(("projects", "indicators", *STATUS_FIELDS), 0)
    for row in rows:
        totals["projects"] += 1
        snapshot = row["snapshot"]
        if snapshot is None:
            continue
        totals["indicators"] += snapshot.indicators
        for field in STATUS_FIELDS:
            totals[field] += getattr(snapshot, field)
    return totals
