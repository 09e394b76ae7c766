"""The allow-listed filters of each list. Invalid values answer 400, never a silent full list."""

from datetime import UTC, datetime
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions
from rest_framework.filters import OrderingFilter

from indicators import progress
from indicators.models import Indicator, ProgressUpdate
from libraries.models import Library
from partners.models import Organisation
from projects.models import Project
from reporting.models import BudgetLine, PeriodReport

STATUSES = [(str(status), str(status)) for status in progress.Status]


BIGGEST_ID = 2**63 - 1  # what a database id column holds


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": BIGGEST_ID})
class IdFilter(django_filters.NumberFilter):
    """An id: a whole number the database can hold, else 400 (never an overflow)."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", BIGGEST_ID)
        super().__init__(**kwargs)


def in_utc(value: datetime) -> datetime:
    """ISO 8601 allows offsets up to ±23:59; PostgreSQL takes ±15:59. UTC suits both."""
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValidationError({"updated_since": _("The date-time is out of range.")}) from None


class StrictFilterSet(django_filters.FilterSet):
    """A filter given with no value is refused rather than ignored: `?status=` is a mistake in
    the calling system, and answering with the whole list would hide it."""

    def is_valid(self) -> bool:
        valid = super().is_valid()
        empty = [name for name in self.filters if name in self.data and self.data[name] == ""]
        for name in empty:
            self.form.add_error(name, _("Give a value, or leave the parameter out."))
        return valid and not empty


@extend_schema_field({"type": "string", "pattern": "^[A-Za-z]{2}$"})
class CountryFilter(django_filters.CharFilter):
    """An ISO 3166-1 alpha-2 code, in either case."""

    field_class = forms.RegexField

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("regex", r"^[A-Za-z]{2}$")
        kwargs.setdefault("label", "ISO 3166-1 alpha-2 code of a country")
        super().__init__(**kwargs)


@extend_schema_field({"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[^\\x00]*$"})
class SearchFilter(django_filters.CharFilter):
    """Free text without NUL characters, which no database column holds."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time; one without a zone is UTC, as the API writes them, never the
    portal's local time (a partner sending "04:30" meant 04:30 UTC)."""

    def to_python(self, value: Any) -> Any:
        with timezone.override(UTC):
            return super().to_python(value)


class UtcIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


class UpdatedSince(UtcIsoDateTimeFilter):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("field_name", "updated_at")
        kwargs.setdefault("lookup_expr", "gte")
        kwargs.setdefault(
            "label", "Changed at or after this ISO 8601 date-time (UTC when it has no zone)"
        )
        super().__init__(**kwargs)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        return super().filter(qs, in_utc(value) if value is not None else None)


class OrganisationFilter(StrictFilterSet):
    kind = django_filters.ChoiceFilter(choices=Organisation.Kind.choices)
    country = CountryFilter(lookup_expr="iexact")
    parent = IdFilter(field_name="parent_id")
    updated_since = UpdatedSince()

    class Meta:
        model = Organisation
        fields = ["kind", "country", "parent", "updated_since"]


class LibraryFilter(StrictFilterSet):
    organisation = IdFilter(field_name="organisation_id")
    current = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="in_use",
        label="true: only the versions in use (none newer); false: only those replaced.",
    )

    class Meta:
        model = Library
        fields = ["organisation", "current"]

    def in_use(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(superseded_at__isnull=value == "true")


@extend_schema_field({"type": "integer", "minimum": 1900, "maximum": 2200})
class YearFilter(django_filters.NumberFilter):
    """A calendar year, else 400."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2200)
        super().__init__(**kwargs)


class BudgetLineFilter(StrictFilterSet):
    project = IdFilter(field_name="project_id")
    year = YearFilter(field_name="year")
    funder = IdFilter(field_name="funding__funder_id")

    class Meta:
        model = BudgetLine
        fields = ["project", "year", "funder"]


class PeriodReportFilter(StrictFilterSet):
    project = IdFilter(field_name="project_id")
    period = IdFilter(field_name="period_id")
    organisation = IdFilter(field_name="organisation_id")
    status = django_filters.ChoiceFilter(choices=PeriodReport.Status.choices)
    updated_since = UpdatedSince()

    class Meta:
        model = PeriodReport
        fields = ["project", "period", "organisation", "status", "updated_since"]


class ProjectFilter(StrictFilterSet):
    status = django_filters.ChoiceFilter(choices=Project.Status.choices)
    country = CountryFilter(method="in_country")
    funder = IdFilter(field_name="fundings__funder", distinct=True)
    partner = IdFilter(field_name="partnerships__organisation", distinct=True)
    search = SearchFilter(method="matching")
    updated_since = UtcIsoDateTimeFilter(
        method="changed_since",
        label=(
            "Details or progress figures changed at or after this ISO 8601 date-time (UTC when "
            "it has no zone)"
        ),
    )

    class Meta:
        model = Project
        fields = ["status", "country", "funder", "partner", "search", "updated_since"]

    def in_country(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        code = value.upper()
        # A project's places hang under their country, at most four levels deep.
        return queryset.filter(
            Q(locations__code=code)
            | Q(locations__parent__code=code)
            | Q(locations__parent__parent__code=code)
            | Q(locations__parent__parent__parent__code=code)
        ).distinct()

    def changed_since(self, queryset: QuerySet[Any], name: str, value: datetime) -> QuerySet[Any]:
        value = in_utc(value)
        return queryset.filter(Q(updated_at__gte=value) | Q(snapshot__computed_at__gte=value))

    def matching(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(
            Q(title__icontains=value) | Q(code__icontains=value) | Q(summary__icontains=value)
        )


class IndicatorFilter(StrictFilterSet):
    project = IdFilter(field_name="project_id")
    result = IdFilter(field_name="result_id")
    measure = django_filters.ChoiceFilter(choices=Indicator.Measure.choices)
    status = django_filters.ChoiceFilter(choices=STATUSES, method="with_status")
    beneficiary_group = IdFilter(field_name="beneficiary_group_id")
    updated_since = UtcIsoDateTimeFilter(
        method="changed_since",
        label=(
            "Definition or figures changed at or after this ISO 8601 date-time (UTC when it "
            "has no zone)"
        ),
    )

    class Meta:
        model = Indicator
        fields = ["project", "result", "measure", "status", "beneficiary_group", "updated_since"]

    def with_status(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == "not_started":
            return queryset.filter(Q(snapshot__status=value) | Q(snapshot__isnull=True))
        return queryset.filter(snapshot__status=value)

    def changed_since(self, queryset: QuerySet[Any], name: str, value: datetime) -> QuerySet[Any]:
        value = in_utc(value)
        return queryset.filter(Q(updated_at__gte=value) | Q(snapshot__computed_at__gte=value))


class UpdateFilter(StrictFilterSet):
    indicator = IdFilter(field_name="indicator_id")
    project = IdFilter(field_name="indicator__project_id")
    status = django_filters.ChoiceFilter(choices=ProgressUpdate.Status.choices)
    updated_since = UpdatedSince()

    class Meta:
        model = ProgressUpdate
        fields = ["indicator", "project", "status", "updated_since"]


class StrictOrderingFilter(OrderingFilter):
    """`?ordering=` takes the view's listed fields, each optionally with a leading minus, comma
    separated; anything else is a 400, and the schema lists what is accepted."""

    def get_ordering(self, request: Any, queryset: QuerySet[Any], view: Any) -> Any:
        raw = request.query_params.get(self.ordering_param)
        if raw is None:
            return self.get_default_ordering(view)
        allowed = set(view.ordering_fields)
        fields = [part.strip() for part in raw.split(",")]
        wrong = [field for field in fields if field.lstrip("-") not in allowed]
        if not raw or wrong:
            raise exceptions.ValidationError(
                {
                    self.ordering_param: [
                        _("Order by one or more of: %(fields)s (a minus sign for descending).")
                        % {"fields": ", ".join(view.ordering_fields)}
                    ]
                }
            )
        # Ties broken by id, so that pages never overlap.
        return fields if "id" in {f.lstrip("-") for f in fields} else [*fields, "id"]

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        choices = [f"{sign}{field}" for field in view.ordering_fields for sign in ("", "-")]
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Fields to order by, comma separated; a minus sign for descending.",
                "schema": {
                    "type": "array",
                    "minItems": 1,
                    "items": {"type": "string", "enum": choices},
                },
                "style": "form",
                "explode": False,
            }
        ]
