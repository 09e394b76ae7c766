"""API v1 endpoints: querysets come from the selectors, writes go through the services."""

import io
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from indicators import services
from indicators.models import Category, CategoryTarget, Indicator, Period, ProgressUpdate
from indicators.selectors import authority_of
from indicators.services import workflow
from indicators.working import working_of
from partners.models import Organisation, User
from projects import services as project_services
from projects.models import Partnership, Project
from projects.selectors import (
    may_report,
    reporting_organisation,
    visible_organisations,
    visible_projects,
)

from . import filters, hxl, selectors, serializers, write_serializers
from .iati import activities_as_iati, organisation_as_iati, project_as_iati
from .pagination import SyncPagination
from .problems import PROBLEM_CODE
from .project_serializers import ProjectSerializer

ID_PATTERN = "[0-9]{1,18}"  # any larger number is no id the database can hold


EXCEL_NOTE = (
    " The same file starting with a UTF-8 byte order mark, so that Excel on Windows reads its "
    "accents right."
)
THREE_W_DESCRIPTION = (
    "Who does what where, as HXL-tagged CSV: one row per indicator, implementing organisation "
    "and place of its project (country code, region, province, district, community). An "
    "indicator's figures repeat on each of its rows: do not add rows up across organisations "
    "or places. Approved figures only."
)


def csv_response(rows: Iterator[str], filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xml_media_type(request: Request) -> str:
    """An IATI document is application/xml, or text/xml to a client that asks for that alone
    (the schema offers both; DRF's negotiation, which knows neither, is not asked)."""
    accepted = request.headers.get("Accept", "")
    return (
        "text/xml"
        if "text/xml" in accepted and "application/xml" not in accepted
        else ("application/xml")
    )


def _refused_import(problems: list[dict]) -> Response:
    response = Response({"problems": problems}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
    setattr(response, PROBLEM_CODE, "import_rejected")
    return response


def principal(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = ID_PATTERN
    serializer_class = serializers.OrganisationSerializer
    filterset_class = filters.OrganisationFilter
    ordering_fields = ["id", "name", "short_name", "updated_at"]
    ordering = ["id"]

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.listed_organisations(self.request.user)

    @extend_schema(responses={(200, "application/xml"): OpenApiTypes.STR})
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def iati(self, request: Request, pk: str | None = None) -> HttpResponse:
        """Every project the organisation reports to IATI (as the lead, or else the implementer
        who started it) that the caller may see, as one IATI 2.03 iati-activities document.
        Its partners' and funders' files do not repeat these activities: each activity has one
        identifier, in one file. 404 when the organisation has no IATI identifier or reports
        nothing the caller may see, with the reason."""
        organisation = self.get_object()
        _require_iati_identifier(organisation)
        candidates = selectors.reported_to_iati(request.user, organisation)
        for project in candidates.filter(iati_identifier=""):
            project_services.fix_activity_identifier(project=project)
        projects = (
            candidates.filter(iati_reporter=organisation)
            .select_related("iati_reporter")
            .order_by("code")
        )
        if not projects.exists():
            # An iati-activities document must hold an activity: say why there is none.
            raise NotFound(
                _(
                    "%(organisation)s reports no project you may see to IATI (it is neither the "
                    "lead nor the implementer who started one), so it has no IATI activity file."
                )
                % {"organisation": organisation.name}
            )
        return HttpResponse(activities_as_iati(projects), content_type=xml_media_type(request))

    @extend_schema(responses={(200, "application/xml"): OpenApiTypes.STR})
    @action(
        detail=True,
        methods=["get"],
        url_path="iati-organisation",
        filter_backends=[],
        pagination_class=None,
    )
    def iati_organisation(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The organisation as an IATI 2.03 iati-organisations document, under its IATI
        identifier. 404, with the reason, when it has none."""
        organisation = self.get_object()
        _require_iati_identifier(organisation)
        return HttpResponse(
            organisation_as_iati(organisation), content_type=xml_media_type(request)
        )

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        return super().perform_content_negotiation(
            request, force=force or self.action in ("iati", "iati_organisation")
        )


def _require_iati_identifier(organisation: Organisation) -> None:
    if not organisation.iati_identifier:
        raise NotFound(
            _(
                "%(organisation)s has no IATI organisation identifier, so it publishes no IATI "
                "file: an administrator of it can add the identifier in its settings."
            )
            % {"organisation": organisation.name}
        )


class ProjectViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = ID_PATTERN
    serializer_class = ProjectSerializer
    filterset_class = filters.ProjectFilter
    ordering_fields = ["id", "code", "title", "planned_start", "planned_end", "updated_at"]
    ordering = ["id"]

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.listed_projects(self.request.user)

    @extend_schema(responses={(200, "application/xml"): OpenApiTypes.STR})
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def iati(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The project as an IATI 2.03 iati-activities document, under the activity identifier
        it keeps for life. 404, with the reason, while its reporting organisation (the lead,
        or else the implementer who started it) has no IATI identifier."""
        project = project_services.fix_activity_identifier(project=self.get_object())
        if not project.iati_identifier:
            reporter = reporting_organisation(project)
            raise NotFound(
                _(
                    "The project has no lead or implementer to report it to IATI, so it has no "
                    "IATI activity file."
                )
                if reporter is None
                else _(
                    "The project has no IATI activity identifier yet: it is made from its "
                    "reporting organisation's, and %(organisation)s has no IATI organisation "
                    "identifier."
                )
                % {"organisation": reporter.name}
            )
        return HttpResponse(project_as_iati(project), content_type=xml_media_type(request))

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        return super().perform_content_negotiation(request, force=force or self.action == "iati")


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = ID_PATTERN
    serializer_class = serializers.IndicatorSerializer
    filterset_class = filters.IndicatorFilter
    ordering_fields = ["id", "code", "project", "updated_at"]
    ordering = ["id"]

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return serializers.IndicatorDetailSerializer
        return serializers.IndicatorSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.listed_indicators(self.request.user)

    @extend_schema(
        responses={(200, "text/csv"): OpenApiTypes.STR},
        description=(
            "Every indicator the filters select, as HXL-tagged CSV: the first row names the "
            "columns, the second holds their HXL hashtags. Approved figures only."
        ),
        operation_id="indicators_csv",
        tags=["indicators"],
        filters=True,
    )
    def hxl(self, request: Request) -> StreamingHttpResponse:
        return self._hxl_file(bom=False, filename="indicators.csv")

    @extend_schema(
        responses={(200, "text/csv"): OpenApiTypes.STR},
        description="Every indicator the filters select, as HXL-tagged CSV." + EXCEL_NOTE,
        operation_id="indicators_excel_csv",
        tags=["indicators"],
        filters=True,
    )
    def hxl_excel(self, request: Request) -> StreamingHttpResponse:
        return self._hxl_file(bom=True, filename="indicators-excel.csv")

    @extend_schema(
        responses={(200, "text/csv"): OpenApiTypes.STR},
        description=THREE_W_DESCRIPTION,
        operation_id="indicators_3w_csv",
        tags=["indicators"],
        filters=True,
    )
    def three_w(self, request: Request) -> StreamingHttpResponse:
        return self._three_w_file(bom=False, filename="indicators-3w.csv")

    @extend_schema(
        responses={(200, "text/csv"): OpenApiTypes.STR},
        description=THREE_W_DESCRIPTION + EXCEL_NOTE,
        operation_id="indicators_3w_excel_csv",
        tags=["indicators"],
        filters=True,
    )
    def three_w_excel(self, request: Request) -> StreamingHttpResponse:
        return self._three_w_file(bom=True, filename="indicators-3w-excel.csv")

    def _exported(self) -> QuerySet[Indicator]:
        return (
            self.filter_queryset(self.get_queryset())
            .select_related("project")
            .prefetch_related(
                "project__locations__parent__parent__parent__parent",
                Prefetch(
                    "project__partnerships",
                    queryset=Partnership.objects.select_related("organisation"),
                ),
                Prefetch(
                    "category_targets",
                    queryset=CategoryTarget.objects.select_related("category"),
                ),
            )
        )

    def _hxl_file(self, *, bom: bool, filename: str) -> StreamingHttpResponse:
        indicators = self._exported()
        columns = hxl.category_columns(indicators.values("pk"))
        rows = hxl.indicator_rows(indicators.iterator(chunk_size=500), columns)
        heads = hxl.INDICATOR_COLUMNS + hxl.indicator_category_heads(columns)
        return csv_response(hxl.stream(heads, rows, bom=bom), filename)

    def _three_w_file(self, *, bom: bool, filename: str) -> StreamingHttpResponse:
        rows = hxl.three_w_rows(self._exported().iterator(chunk_size=500))
        return csv_response(hxl.stream(hxl.THREE_W_COLUMNS, rows, bom=bom), filename)

    @extend_schema(responses=serializers.WorkingSerializer)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def working(self, request: Request, pk: str | None = None) -> Response:
        """How the indicator's figure is worked out: the approved updates counted (with their
        periods and links), the rule, the baseline and target, the expected-by-now band and
        when it was computed."""
        working = working_of(self.get_object())
        return Response(serializers.WorkingSerializer(working, context={"request": request}).data)

    @extend_schema(responses=serializers.PeriodFiguresSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def periods(self, request: Request, pk: str | None = None) -> Response:
        """Per reporting period: achieved in it and cumulative to its end, with its target."""
        indicator = self.get_object()
        snapshot = getattr(indicator, "snapshot", None)
        computed = {row["start"]: row for row in (snapshot.periods if snapshot else [])}
        # Every period is listed, with its id to report into, even before figures are computed.
        rows = []
        for period in Period.objects.filter(project_id=indicator.project_id).order_by("start"):
            row = computed.get(period.start.isoformat(), {})
            rows.append(
                {
                    "id": period.pk,
                    "name": period.name,
                    "start": period.start,
                    "end": period.end,
                    "target_value": serializers.number(row.get("target_value")),
                    "achieved_value": serializers.number(row.get("achieved_value")),
                    "cumulative_value": serializers.number(row.get("cumulative_value")),
                }
            )
        return Response(serializers.PeriodFiguresSerializer(rows, many=True).data)


class UpdateViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    lookup_value_regex = ID_PATTERN
    serializer_class = serializers.UpdateSerializer
    filterset_class = filters.UpdateFilter
    pagination_class = SyncPagination
    ordering_fields = ["id", "as_of", "updated_at"]
    ordering = ["id"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.listed_updates(self.request.user, many=self.action == "list")

    @extend_schema(
        responses={(200, "text/csv"): OpenApiTypes.STR},
        description=(
            "Every update the filters select, as HXL-tagged CSV: the first row names the "
            "columns, the second holds their HXL hashtags. Funders get approved updates only."
        ),
        operation_id="updates_csv",
        tags=["updates"],
        filters=True,
    )
    def hxl(self, request: Request) -> StreamingHttpResponse:
        return self._hxl_file(bom=False, filename="updates.csv")

    @extend_schema(
        responses={(200, "text/csv"): OpenApiTypes.STR},
        description="Every update the filters select, as HXL-tagged CSV." + EXCEL_NOTE,
        operation_id="updates_excel_csv",
        tags=["updates"],
        filters=True,
    )
    def hxl_excel(self, request: Request) -> StreamingHttpResponse:
        return self._hxl_file(bom=True, filename="updates-excel.csv")

    def _hxl_file(self, *, bom: bool, filename: str) -> StreamingHttpResponse:
        updates = (
            self.filter_queryset(self.get_queryset())
            .select_related("indicator__project", "organisation", "period")
            .prefetch_related("indicator__project__locations__parent__parent__parent__parent")
        )
        columns = hxl.category_columns(updates.values("indicator_id"))
        rows = hxl.update_rows(updates.iterator(chunk_size=500), columns)
        heads = hxl.UPDATE_COLUMNS + hxl.update_category_heads(columns)
        return csv_response(hxl.stream(heads, rows, bom=bom), filename)

    def _visible_indicator(self, pk: int) -> Indicator:
        try:
            return Indicator.objects.select_related("project").get(
                pk=pk, project__in=visible_projects(self.request.user)
            )
        except Indicator.DoesNotExist:
            raise Http404 from None

    def _figures(self, data: dict[str, Any], indicator: Indicator) -> services.Figures:
        categories = {
            (c.dimension.slug, c.slug): c
            for c in Category.objects.filter(
                dimension__in=[link.dimension_id for link in indicator.indicator_dimensions.all()]
            ).select_related("dimension")
        }
        parts = {}
        for item in data.get("values", []):
            category = categories.get((item["dimension"], item["category"]))
            if category is None:
                raise ApiValidationError(
                    {
                        "values": [
                            f"{item['dimension']}/{item['category']} is not a category of "
                            "this indicator."
                        ]
                    }
                )
            parts[category] = item["value"]
        period = None
        if data.get("period"):
            period = Period.objects.filter(
                pk=data["period"], project_id=indicator.project_id
            ).first()
            if period is None:
                raise ApiValidationError({"period": ["No such period of this project."]})
        return services.Figures(
            as_of=data.get("as_of"),
            period=period,
            value=data.get("value"),
            numerator=data.get("numerator"),
            denominator=data.get("denominator"),
            parts=parts,
            narrative=data.get("narrative", ""),
            evidence_url=data.get("evidence_url", ""),
        )

    def _organisation(self, data: dict[str, Any]) -> Organisation | None:
        if not data.get("organisation"):
            return None
        organisation = visible_organisations(self.request.user).filter(pk=data["organisation"])
        found = organisation.first()
        if found is None:
            raise ApiValidationError({"organisation": ["No such organisation."]})
        return found

    def _respond(self, update: ProgressUpdate, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=update.pk)
        return Response(serializers.UpdateSerializer(fresh).data, status=code)

    @extend_schema(
        request=write_serializers.ProgressImportSerializer,
        responses={
            200: OpenApiResponse(
                write_serializers.ImportResultSerializer, description="Checked only."
            ),
            201: OpenApiResponse(
                write_serializers.ImportResultSerializer, description="All stored."
            ),
            422: OpenApiResponse(
                write_serializers.ImportProblemsSerializer,
                description="Problems by row and column; nothing was stored.",
            ),
        },
        description=(
            "Report progress in bulk from the project's CSV template: every row goes through "
            "the same checks as POST /updates/, and either all are stored or none."
        ),
    )
    @action(detail=False, methods=["post"], url_path="import", filter_backends=[])
    def bulk_import(self, request: Request) -> Response:
        data = write_serializers.ProgressImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            project = visible_projects(request.user).get(pk=data.validated_data["project"])
        except Project.DoesNotExist:
            raise Http404 from None
        if not may_report(request.user, project):
            raise PermissionDenied
        try:
            outcome = services.import_progress(
                project=project,
                by=principal(request),
                upload=io.BytesIO(data.validated_data["csv"].encode()),
                name="import.csv",
                submit=data.validated_data["submit"],
                commit=not data.validated_data["dry_run"],
            )
        except DjangoValidationError as error:
            problems = [{"row": 0, "column": "", "message": m} for m in error.messages]
            return _refused_import(problems)
        if outcome.problems:
            rows = [
                {"row": p.row, "column": p.column, "message": p.message} for p in outcome.problems
            ]
            return _refused_import(rows)
        code = status.HTTP_200_OK if data.validated_data["dry_run"] else status.HTTP_201_CREATED
        return Response({"checked": outcome.checked, "created": outcome.created}, status=code)

    @extend_schema(
        request=write_serializers.UpdateWriteSerializer,
        responses={201: serializers.UpdateSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incoming = write_serializers.UpdateWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        indicator = self._visible_indicator(data["indicator"])
        update = services.create_update(
            indicator=indicator,
            by=principal(request),
            figures=self._figures(data, indicator),
            organisation=self._organisation(data),
            submit=data["submit"],
        )
        return self._respond(update, status.HTTP_201_CREATED)

    @extend_schema(
        request=write_serializers.UpdateEditSerializer,
        responses={
            200: serializers.UpdateSerializer,
        },
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        update = self.get_object()
        self._may(request, update, workflow.EDIT)
        if not isinstance(request.data, dict):
            raise ApiValidationError(
                {"non_field_errors": ["Send a JSON object with the fields to change."]}
            )
        current = serializers.UpdateSerializer(update).data
        merged = {
            # A period sent alone moves the update there, dated as that period says.
            "as_of": None
            if "period" in request.data and "as_of" not in request.data
            else current["as_of"],
            "period": current["period"],
            "value": current["value"],
            "numerator": current["numerator"],
            "denominator": current["denominator"],
            "values": current["values"],
            "narrative": current["narrative"],
            "evidence_url": current["evidence_url"],
            "organisation": current["organisation"],
            **request.data,
        }
        incoming = write_serializers.UpdateEditSerializer(data=merged)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        saved = services.edit_update(
            update=update,
            by=principal(request),
            expected_version=data["version"],
            figures=self._figures(data, update.indicator),
            organisation=self._organisation(data),
            submit=data["submit"],
        )
        return self._respond(saved)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(
        parameters=[write_serializers.DeleteQuerySerializer],
        responses={204: OpenApiResponse(description="Deleted.")},
    )
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        update = self.get_object()
        self._may(request, update, workflow.DELETE)
        query = write_serializers.DeleteQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        services.transition(
            update=update,
            action=workflow.DELETE,
            by=principal(request),
            expected_version=query.validated_data.get("version"),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _may(self, request: Request, update: ProgressUpdate, action: str) -> None:
        """Refuse with 403 before reading the body when the caller may never do this here."""
        refusal = workflow.refusal(authority_of(request.user), update, action)
        if isinstance(refusal, PermissionDenied):
            raise refusal

    def _transition(self, request: Request, action: str) -> Response:
        update = self.get_object()
        self._may(request, update, action)
        with_note = action in (workflow.RETURN, workflow.REOPEN)
        kind = (
            write_serializers.NoteTransitionSerializer
            if with_note
            else write_serializers.TransitionSerializer
        )
        incoming = kind(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        done = services.transition(
            update=update,
            action=action,
            by=principal(request),
            note=data.get("note", ""),
            expected_version=data.get("version"),
        )
        assert done is not None
        return self._respond(done)

    @extend_schema(
        request=write_serializers.TransitionSerializer, responses=serializers.UpdateSerializer
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, workflow.SUBMIT)

    @extend_schema(
        request=write_serializers.TransitionSerializer, responses=serializers.UpdateSerializer
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, workflow.APPROVE)

    @extend_schema(
        request=write_serializers.NoteTransitionSerializer, responses=serializers.UpdateSerializer
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, workflow.RETURN)

    @extend_schema(
        request=write_serializers.NoteTransitionSerializer, responses=serializers.UpdateSerializer
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, workflow.REOPEN)
