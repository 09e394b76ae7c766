"""A project's logframe as funders ask for it, one header row then one row per indicator:
level, result, indicator, the library code it is linked to, baseline and its year, target,
current value (approved figures only) and its date, and the source of verification (the
evidence of the latest approved update). In the reader's language, ready to paste."""

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.sheets import Table
from indicators.models import Indicator, ProgressUpdate
from projects.models import Project


def _evidence(update: ProgressUpdate | None) -> str:
    if update is None:
        return ""
    if update.evidence_url:
        return update.evidence_url
    if update.evidence_file:
        return _("Evidence file kept in the portal (update of %(date)s)") % {
            "date": update.as_of.isoformat()
        }
    return ""


def _target(indicator: Indicator) -> Any:
    if indicator.target_kind == Indicator.TargetKind.RANGE:
        low, high = indicator.target_min, indicator.target_max
        return "" if low is None or high is None else f"{low.normalize()}–{high.normalize()}"
    return indicator.target_value


def write_logframe(project: Project) -> io.BytesIO:
    indicators = list(
        Indicator.objects.filter(project=project)
        .select_related("result", "snapshot", "library_link__entry")
        .order_by("result__order", "result__number", "order", "code")
    )
    latest: dict[int, ProgressUpdate] = {}
    for update in ProgressUpdate.objects.filter(
        indicator__project=project, status=ProgressUpdate.Status.APPROVED
    ).order_by("indicator_id", "-as_of", "-pk"):
        latest.setdefault(update.indicator_id, update)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Logframe")[:31])
    table = Table(
        sheet,
        [
            _("Level"),
            _("Result"),
            _("Indicator"),
            _("Library code"),
            _("Baseline"),
            _("Baseline year"),
            _("Target"),
            _("Current value"),
            _("Current value as of"),
            _("Source of verification"),
        ],
        widths={"B": 40, "C": 50, "J": 40},
    )
    for indicator in indicators:
        result = indicator.result
        snapshot = getattr(indicator, "snapshot", None)
        link = getattr(indicator, "library_link", None)
        table.add(
            [
                result.get_level_display() if result else "",
                f"{result.number} {result.translated('title')}" if result else "",
                f"{indicator.code} {indicator.translated('name')}",
                link.entry.code if link else "",
                indicator.baseline_value,
                indicator.baseline_date.year if indicator.baseline_date else None,
                _target(indicator),
                snapshot.achieved if snapshot is not None else None,
                snapshot.last_update if snapshot is not None else None,
                _evidence(latest.get(indicator.pk)),
            ]
        )
    table.close()
    output = io.BytesIO()
    book.save(output)
    output.seek(0)
    return output
