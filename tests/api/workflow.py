"""Workflow actions a partner's copy must follow: done at random by the test of the change
feed and by the test that plays a partner with a generated client."""

import random

from django.core.exceptions import PermissionDenied, ValidationError

from indicators.models import Indicator, Period, ProgressUpdate
from indicators.services import lock_period, unlock_period
from projects.models import Funding, Project
from projects.services import remove_funding
from reporting.models import BudgetLine
from reporting.services import save_budget_line


class Workflow:
    """Random workflow actions on the EU's project, each through the API or the service a
    person would use; one the rules refuse changes nothing and is simply not counted."""

    def __init__(self, api, ce, rng: random.Random):
        self.writer, self.approver = api("aspem_write"), api("aspem_approver")
        self.project: Project = ce["project"]
        self.manager, self.admin = ce["manager"], ce["admin"]
        self.rng = rng
        self.done: list[str] = []

    def updates(self, *statuses: str) -> list[ProgressUpdate]:
        found = ProgressUpdate.objects.filter(indicator__project=self.project)
        return list(found.filter(status__in=statuses).order_by("pk"))

    def step(self) -> None:
        name = self.rng.choice(
            ["report", "report", "approve", "approve", "reopen", "delete", "lock", "lose_funding"]
        )
        if getattr(self, name)():
            self.done.append(name)

    def report(self) -> bool:
        counts = Indicator.objects.filter(
            project=self.project, measure="count", indicator_dimensions__isnull=True
        ).order_by("pk")
        indicator = self.rng.choice(list(counts))
        body = {
            "indicator": indicator.pk,
            "as_of": "2026-06-30",
            "value": self.rng.randint(1, 40),
            "submit": self.rng.random() < 0.8,
        }
        return self.writer.post("/api/v1/updates/", body).status_code == 201

    def _transition(self, statuses: tuple[str, ...], action: str, **body) -> bool:
        candidates = self.updates(*statuses)
        if not candidates:
            return False
        update = self.rng.choice(candidates)
        url = f"/api/v1/updates/{update.pk}/{action}/"
        return self.approver.post(url, {"version": update.version, **body}).status_code == 200

    def approve(self) -> bool:
        return self._transition(("submitted",), "approve")

    def reopen(self) -> bool:
        return self._transition(("approved",), "reopen", note="Figures to check again")

    def delete(self) -> bool:
        candidates = self.updates("draft", "submitted", "returned")
        if not candidates:
            return False
        update = self.rng.choice(candidates)
        return self.writer.delete(f"/api/v1/updates/{update.pk}/").status_code == 204

    def lock(self) -> bool:
        period = self.rng.choice(list(Period.objects.filter(project=self.project)))
        try:
            if period.is_locked:
                unlock_period(period=period, by=self.manager)
            else:
                lock_period(period=period, by=self.manager)
        except (PermissionDenied, ValidationError):
            return False
        return True

    def lose_funding(self) -> bool:
        funding = Funding.objects.filter(project=self.project, funder__short_name="EU").first()
        if funding is None:
            return False
        release_budget_lines(funding, self.admin)
        remove_funding(funding=funding, by=self.admin)
        return True


def release_budget_lines(funding: Funding, by) -> None:
    """Give the funding's budget lines to own funds, as a project's people do before removing
    a funding its lines name (their expenditure stays with them)."""
    for line in BudgetLine.objects.filter(funding=funding):
        save_budget_line(
            project=line.project,
            by=by,
            name=line.name,
            year=line.year,
            amount=line.amount,
            currency=line.currency,
            funding=None,
            line=line,
        )
