"""The words that say where a category stands against its target, the same on the project
page, the funder's drill-down, the PDF, the XLSX and the API: "50 of 96, 46 to go — share
62.5 %, on course for 60 %", or "✓ target met: 98 of 96 — share 61.3 %, target 60 %".

The figures and the rule come from indicators.progress (CategoryProgress: met, to_go,
share_on_course); this module only words them, in the reader's language."""

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from core.numbers import formatted, money, percent

from .progress import Burn, CategoryProgress


def category_standing(
    *,
    is_share_target: bool,
    target_value: Decimal | None,
    target_share: Decimal | None,
    achieved_value: Decimal | None,
    achieved_share: Decimal | None,
    met: bool | None,
    to_go: Decimal | None,
    share_on_course: bool | None,
) -> str:
    if achieved_value is None:
        return "—"
    parts = []
    if target_value is not None:
        count = _("%(achieved)s of %(target)s") % {
            "achieved": formatted(achieved_value),
            "target": formatted(target_value),
        }
        if to_go:
            count = _("%(count)s, %(to_go)s to go") % {"count": count, "to_go": formatted(to_go)}
        parts.append(count)
    if is_share_target and target_share is not None and achieved_share is not None:
        shares = {
            "share": percent(achieved_share * 100),
            "target": percent(target_share * 100),
        }
        if met or share_on_course:
            words = (
                _("share %(share)s, target %(target)s")
                if met
                else _("share %(share)s, on course for %(target)s")
            )
        else:
            words = _("share %(share)s, below %(target)s")
        parts.append(words % shares)
    text = " — ".join(parts) if parts else formatted(achieved_value)
    return _("✓ target met: %(figures)s") % {"figures": text} if met else text


def achieved(
    *,
    measure: str,
    counted: int,
    value: Decimal | None,
    numerator: Decimal | None = None,
    denominator: Decimal | None = None,
    unit: str = "",
) -> str:
    """What has been achieved, in the indicator's own terms — the same words on the project
    page, the contributor's list, the dashboards and the printable report: "nothing reported
    yet", "reported" (told in words), "done" or "not done yet", "62.5 % (5 of 8)", "160 women".
    `counted` is how many readings (or updates) make the figure."""
    if not counted:
        return _("nothing reported yet")
    if measure == "qualitative":
        return _("reported")
    if measure == "milestone":
        return _("done") if value is not None and value >= 1 else _("not done yet")
    if value is None:
        return "—"
    if measure == "percentage":
        if denominator is None:
            return percent(value)
        return _("%(percent)s (%(numerator)s of %(denominator)s)") % {
            "percent": percent(value),
            "numerator": formatted(numerator) if numerator is not None else "—",
            "denominator": formatted(denominator),
        }
    return f"{formatted(value)} {unit}".strip()


def met_label(met: bool | None) -> str:
    """A category's target met or not, in the words of the status column."""
    if met is None:
        return ""
    return _("Target met") if met else _("Target not yet met")


def of_progress(row: CategoryProgress, *, is_share_target: bool) -> str:
    """The words for a category's figures computed live (the project page)."""
    return category_standing(
        is_share_target=is_share_target,
        target_value=row.target_value,
        target_share=row.target_share,
        achieved_value=row.achieved_value,
        achieved_share=row.achieved_share,
        met=row.met,
        to_go=row.to_go,
        share_on_course=row.share_on_course,
    )


def of_snapshot(row: Mapping[str, Any]) -> str:
    """The words for a category row of a snapshot (dashboards, reports, files, the API)."""
    return category_standing(
        is_share_target=bool(row.get("is_share_target")),
        target_value=_number(row.get("target_value")),
        target_share=_number(row.get("target_share")),
        achieved_value=_number(row.get("achieved_value")),
        achieved_share=_number(row.get("achieved_share")),
        met=row.get("met"),
        to_go=_number(row.get("to_go")),
        share_on_course=row.get("share_on_course"),
    )


def _number(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def rule(measure: str, aggregation: str) -> str:
    """How the approved updates make an indicator's figure, in a sentence."""
    if measure == "qualitative":
        return _("Told in words: the approved updates' narratives are the progress; no figure.")
    if measure == "milestone":
        return _("Done once the latest approved update of every reporting organisation says done.")
    if aggregation == "latest":
        if measure == "percentage":
            return _(
                "Each approved update says where things stand on its date: the latest of each "
                "reporting organisation counts; with several, their numerators and "
                "denominators are added up and the percentage taken of the totals."
            )
        return _(
            "Each approved update says where things stand on its date: the latest of each "
            "reporting organisation counts, and those of several organisations are added up."
        )
    if measure == "percentage":
        return _(
            "The numerators and the denominators of every approved update are added up, and "
            "the percentage taken of the totals."
        )
    return _(
        "Every approved update adds what was achieved since the one before: the figure is "
        "their sum."
    )


def period_rule(measure: str, aggregation: str) -> str:
    """What a reporting period's figure is, in a sentence."""
    if measure == "qualitative":
        return ""
    if aggregation == "latest" or measure == "milestone":
        return _(
            "A period shows the latest approved figure dated within it; “to date” the latest "
            "up to its end."
        )
    return _(
        "A period shows what the approved updates dated within it add up to; “to date” adds "
        "the periods before."
    )


def across_projects_rule(measure: str, aggregation: str) -> str:
    """What makes a standard indicator's total across projects legitimate, in a sentence."""
    if measure in ("count", "amount"):
        if aggregation == "sum":
            return _(
                "The approved figures of each project, added up: the same unit and the same "
                "way of combining in every project, each project counted once."
            )
        return _(
            "Each project's latest approved figure, added up: the same unit in every project, "
            "each project counted once."
        )
    if measure == "percentage":
        return _(
            "The projects' counts behind their percentages, combined: there is a share across "
            "projects only when every project gave them."
        )
    return _("Milestones and qualitative answers do not add up: each project's stands on its own.")


def burn_rate(burn: Burn, progress_percent: Decimal | None, elapsed_percent: Decimal) -> str:
    """Money beside results and time: "62 % of the budget spent (31,000 of 50,000 EUR), 48 %
    of the way to the targets, 55 % of the time elapsed"."""
    if burn.spent_percent is None:
        spent = _("%(spent)s %(currency)s spent, with no budget line in %(currency)s") % {
            "spent": money(burn.spent),
            "currency": burn.currency,
        }
    else:
        spent = _("%(percent)s of the budget spent (%(spent)s of %(budget)s %(currency)s)") % {
            "percent": percent(burn.spent_percent),
            "spent": money(burn.spent),
            "budget": money(burn.budget),
            "currency": burn.currency,
        }
    progress_words = (
        _("no progress measured against targets yet")
        if progress_percent is None
        else _("%(percent)s of the way to the targets") % {"percent": percent(progress_percent)}
    )
    return _("%(spent)s, %(progress)s, %(elapsed)s of the time elapsed") % {
        "spent": spent,
        "progress": progress_words,
        "elapsed": percent(elapsed_percent),
    }
