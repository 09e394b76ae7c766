"""GET /api/v1/budget-lines/ and /api/v1/period-reports/: a project's budget by line and
year, and the reports on its periods with what was spent (approved ones only for funders)."""

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request

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

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "file_id",
                OpenApiTypes.INT,
                OpenApiParameter.PATH,
                description="The `id` of one of the report's `files`.",
            ),
            OpenApiParameter(
                "Content-Disposition",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                response=[200],
                description='`attachment; filename="…"`: the name the file was uploaded under.',
            ),
        ],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=rf"files/(?P<file_id>{ID_PATTERN})",
        url_name="file",
        filter_backends=[],
        pagination_class=None,
    )
    def file(self, request: Request, pk: str | None = None, file_id: str | None = None) -> Any:
        """One photo or document of the report, as it was uploaded; its name is in the
        Content-Disposition header. 404 when the report has no such file or you may not read
        the report."""
        attached = self.get_object().files.filter(pk=file_id).first()
        if attached is None:
            raise NotFound(_("The report has no file %(id)s.") % {"id": file_id})
        return FileResponse(
            attached.file.open("rb"),
            as_attachment=True,
            filename=attached.name,
            content_type="application/octet-stream",
        )
