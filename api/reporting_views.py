"""GET /api/v1/budget-lines/ and /api/v1/period-reports/: a project's budget by line and
year, and the reports on its periods with what was spent (approved ones only for funders)."""

from typing import Any

from django.db.models import QuerySet
from rest_framework import viewsets

from . import filters, selectors
from .reporting_serializers import BudgetLineSerializer, PeriodReportSerializer
from .views import ID_PATTERN


class BudgetLineViewSet(viewsets.ReadOnlyModelViewSet):
    """The budget lines of the projects you may see: one year each, in the line's currency,
    with the funding that pays for it."""

    lookup_value_regex = ID_PATTERN
    serializer_class = BudgetLineSerializer
    filterset_class = filters.BudgetLineFilter
    ordering_fields = ["id", "year"]
    ordering = ["id"]

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.listed_budget_lines(self.request.user)


class PeriodReportViewSet(viewsets.ReadOnlyModelViewSet):
    """The reports on the projects' periods: every status for the projects you work on, the
    approved ones for those you fund; with the money spent by budget line."""

    lookup_value_regex = ID_PATTERN
    serializer_class = PeriodReportSerializer
    filterset_class = filters.PeriodReportFilter
    ordering_fields = ["id", "updated_at"]
    ordering = ["id"]

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.listed_period_reports(self.request.user)
