"""The JSON of API v1. Field names follow API.md: extend, never rename."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from indicators import progress, wording
from indicators.models import Indicator, ProgressUpdate
from indicators.working import working_of
from partners.models import Organisation

from .representation import (
    UtcDateTimeField,
    day,
    moment,
    number,
    places,
    snapshot_of,
    stored_quantity,
    translations,
    translations_field,
)
from .selectors import LISTED_VALUES
from .write_serializers import QUANTITY, CategoryValueSerializer


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "country",
            "parent",
            "iati_identifier",
            "updated_at",
        ]


class DisaggregationSerializer(serializers.Serializer):
    dimension = serializers.CharField()
    category = serializers.CharField()
    target_value = serializers.DecimalField(**QUANTITY, allow_null=True)
    target_share = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)
    achieved_value = serializers.DecimalField(**QUANTITY, allow_null=True)
    achieved_share = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)
    met = serializers.BooleanField(
        allow_null=True,
        help_text=(
            "Whether the category's target is met; null while nothing is achieved. A share "
            "target of a total target (60 % of 160) is met only when the count it implies (96) "
            "is reached and the share holds."
        ),
    )
    to_go = serializers.DecimalField(
        **QUANTITY,
        allow_null=True,
        help_text="The count still to reach (0 once reached); null where no count is implied.",
    )
    share_on_course = serializers.BooleanField(
        allow_null=True,
        help_text="For a share target: whether the share achieved holds it; null otherwise.",
    )
    standing = serializers.CharField(
        help_text=(
            "The same in words, in the language asked for (Accept-Language): "
            "“50 of 96, 46 to go — share 62.5 %, on course for 60 %”."
        )
    )


class LibraryLinkSerializer(serializers.Serializer):
    library = serializers.IntegerField(help_text="The version of the library it is linked to.")
    code = serializers.CharField(help_text="The standard indicator's code in that library.")


class IndicatorSerializer(serializers.ModelSerializer):
    translations = translations_field()
    library_indicator = serializers.SerializerMethodField(
        help_text="The standard indicator of a library it is reported as, so that its "
        "figures count in that library's results across projects; null when none."
    )
    target_date = serializers.SerializerMethodField()
    achieved_value = serializers.SerializerMethodField()
    achieved_numerator = serializers.SerializerMethodField()
    achieved_denominator = serializers.SerializerMethodField()
    percent_of_target = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    computed_at = serializers.SerializerMethodField()
    disaggregation = serializers.SerializerMethodField()
    working_url = serializers.SerializerMethodField(
        help_text="How the figure is worked out: the approved updates counted, the rule, the "
        "baseline, target and expected-by-now band (embedded as `working` in the detail)."
    )

    class Meta:
        model = Indicator
        fields = [
            "id",
            "code",
            "name",
            "description",
            "project",
            "result",
            "beneficiary_group",
            "counts_people_reached",
            "measure",
            "unit",
            "currency",
            "whole_numbers",
            "aggregation",
            "direction",
            "baseline_value",
            "baseline_date",
            "target_value",
            "target_kind",
            "target_min",
            "target_max",
            "target_date",
            "achieved_value",
            "achieved_numerator",
            "achieved_denominator",
            "percent_of_target",
            "status",
            "computed_at",
            "disaggregation",
            "working_url",
            "updated_at",
            "translations",
            "library_indicator",
        ]

    @extend_schema_field(LibraryLinkSerializer(allow_null=True))
    def get_library_indicator(self, indicator: Indicator) -> dict | None:
        link = getattr(indicator, "library_link", None)
        return None if link is None else {"library": link.entry.library_id, "code": link.entry.code}

    @extend_schema_field(serializers.DateField())
    def get_target_date(self, indicator: Indicator) -> date | None:
        return indicator.target_date or indicator.project.end_date

    @extend_schema_field(serializers.DecimalField(**QUANTITY, allow_null=True))
    def get_achieved_value(self, indicator: Indicator) -> Decimal | None:
        snapshot = snapshot_of(indicator)
        return snapshot.achieved if snapshot else None

    @extend_schema_field(serializers.DecimalField(**QUANTITY, allow_null=True))
    def get_achieved_numerator(self, indicator: Indicator) -> Decimal | None:
        snapshot = snapshot_of(indicator)
        return snapshot.numerator if snapshot else None

    @extend_schema_field(serializers.DecimalField(**QUANTITY, allow_null=True))
    def get_achieved_denominator(self, indicator: Indicator) -> Decimal | None:
        snapshot = snapshot_of(indicator)
        return snapshot.denominator if snapshot else None

    @extend_schema_field(serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True))
    def get_percent_of_target(self, indicator: Indicator) -> Decimal | None:
        snapshot = snapshot_of(indicator)
        return snapshot.percent_of_target if snapshot else None

    @extend_schema_field(serializers.ChoiceField(choices=progress.STATUS_VALUES))
    def get_status(self, indicator: Indicator) -> str:
        snapshot = snapshot_of(indicator)
        return snapshot.status if snapshot else "not_started"

    @extend_schema_field(UtcDateTimeField(allow_null=True))
    def get_computed_at(self, indicator: Indicator) -> datetime | None:
        snapshot = snapshot_of(indicator)
        return snapshot.computed_at if snapshot else None

    @extend_schema_field(DisaggregationSerializer(many=True))
    def get_disaggregation(self, indicator: Indicator) -> list[dict]:
        snapshot = snapshot_of(indicator)
        rows = snapshot.categories if snapshot else []
        return [
            {
                "dimension": row["dimension"],
                "category": row["category"],
                "target_value": number(row["target_value"]),
                "target_share": number(row["target_share"]),
                "achieved_value": number(row["achieved_value"]),
                "achieved_share": number(row["achieved_share"]),
                "met": row.get("met"),
                "to_go": number(row.get("to_go")),
                "share_on_course": row.get("share_on_course"),
                "standing": wording.of_snapshot(row),
            }
            for row in rows
        ]

    @extend_schema_field(serializers.URLField())
    def get_working_url(self, indicator: Indicator) -> str:
        path = reverse("indicator-working", args=[indicator.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def to_representation(self, instance: Indicator) -> dict[str, Any]:
        """Written out field by field, as the projects and updates are; the declared fields
        still give the schema, and a test holds both paths to the same output."""
        indicator = instance
        return {
            "id": indicator.pk,
            "code": indicator.code,
            "name": indicator.name,
            "description": indicator.description,
            "project": indicator.project_id,
            "result": indicator.result_id,
            "beneficiary_group": indicator.beneficiary_group_id,
            "counts_people_reached": indicator.counts_people_reached,
            "measure": indicator.measure,
            "unit": indicator.unit,
            "currency": indicator.currency,
            "whole_numbers": indicator.whole_numbers,
            "aggregation": indicator.aggregation,
            "direction": indicator.direction,
            "baseline_value": places(indicator.baseline_value, Indicator, "baseline_value"),
            "baseline_date": day(indicator.baseline_date),
            "target_value": places(indicator.target_value, Indicator, "target_value"),
            "target_kind": indicator.target_kind,
            "target_min": places(indicator.target_min, Indicator, "target_min"),
            "target_max": places(indicator.target_max, Indicator, "target_max"),
            "target_date": self.get_target_date(indicator),
            "achieved_value": self.get_achieved_value(indicator),
            "achieved_numerator": self.get_achieved_numerator(indicator),
            "achieved_denominator": self.get_achieved_denominator(indicator),
            "percent_of_target": self.get_percent_of_target(indicator),
            "status": self.get_status(indicator),
            "computed_at": self.get_computed_at(indicator),
            "disaggregation": self.get_disaggregation(indicator),
            "working_url": self.get_working_url(indicator),
            "updated_at": moment(indicator.updated_at),
            "translations": translations(indicator.translations),
            "library_indicator": self.get_library_indicator(indicator),
        }


class CountedUpdateSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="update.pk")
    url = serializers.SerializerMethodField()
    as_of = serializers.DateField(source="update.as_of")
    period = serializers.IntegerField(source="period.pk", allow_null=True, default=None)
    period_name = serializers.CharField(source="period.name", allow_null=True, default=None)
    organisation = serializers.IntegerField(source="update.organisation_id", allow_null=True)
    value = serializers.DecimalField(**QUANTITY, source="update.value", allow_null=True)
    numerator = serializers.DecimalField(**QUANTITY, source="update.numerator", allow_null=True)
    denominator = serializers.DecimalField(**QUANTITY, source="update.denominator", allow_null=True)
    counted = serializers.BooleanField(
        help_text="False where a later update of the same organisation replaces it."
    )

    @extend_schema_field(serializers.URLField())
    def get_url(self, row: Any) -> str:
        path = reverse("update-detail", args=[row.update.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class WorkingSerializer(serializers.Serializer):
    achieved_value = serializers.DecimalField(**QUANTITY, source="achieved", allow_null=True)
    percent_of_target = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    status = serializers.ChoiceField(choices=progress.STATUS_VALUES)
    rule = serializers.CharField(help_text="How the approved updates make the figure.")
    period_rule = serializers.CharField(help_text="What a reporting period's figure is.")
    baseline_value = serializers.DecimalField(**QUANTITY, source="baseline", allow_null=True)
    baseline_date = serializers.DateField(allow_null=True)
    target_value = serializers.DecimalField(
        **QUANTITY,
        source="target",
        allow_null=True,
        help_text="The figure progress is measured against (a range's minimum).",
    )
    target_date = serializers.DateField()
    expected_value = serializers.DecimalField(**QUANTITY, allow_null=True)
    expected_percent = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    on_track_from_percent = serializers.DecimalField(
        max_digits=12, decimal_places=2, source="on_track_from", allow_null=True
    )
    at_risk_from_percent = serializers.DecimalField(
        max_digits=12, decimal_places=2, source="at_risk_from", allow_null=True
    )
    computed_at = UtcDateTimeField(allow_null=True)
    being_recomputed = serializers.BooleanField()
    updates_counted = serializers.IntegerField()
    updates = CountedUpdateSerializer(many=True)


class IndicatorDetailSerializer(IndicatorSerializer):
    working = serializers.SerializerMethodField()

    class Meta(IndicatorSerializer.Meta):
        fields = [*IndicatorSerializer.Meta.fields, "working"]

    @extend_schema_field(WorkingSerializer())
    def get_working(self, indicator: Indicator) -> dict:
        return WorkingSerializer(working_of(indicator), context=self.context).data

    def to_representation(self, instance: Indicator) -> dict[str, Any]:
        return {**super().to_representation(instance), "working": self.get_working(instance)}


class PeriodFiguresSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The period's id, to send as `period` with an update.")
    name = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    target_value = serializers.DecimalField(**QUANTITY, allow_null=True)
    achieved_value = serializers.DecimalField(**QUANTITY, allow_null=True)
    cumulative_value = serializers.DecimalField(**QUANTITY, allow_null=True)


class UpdateSerializer(serializers.ModelSerializer):
    values = serializers.SerializerMethodField()
    evidence_url = serializers.CharField(
        max_length=1000, help_text="A link to the evidence, or an empty text."
    )

    class Meta:
        model = ProgressUpdate
        fields = [
            "id",
            "indicator",
            "as_of",
            "period",
            "organisation",
            "value",
            "numerator",
            "denominator",
            "values",
            "narrative",
            "evidence_url",
            "status",
            "version",
            "review_note",
            "submitted_at",
            "reviewed_at",
            "updated_at",
        ]

    @extend_schema_field(CategoryValueSerializer(many=True))
    def get_values(self, update: ProgressUpdate) -> list[dict]:
        parts = getattr(update, LISTED_VALUES, None)
        return [
            {
                "dimension": part.category.dimension.slug,
                "category": part.category.slug,
                "value": part.value,
            }
            for part in (update.values.all() if parts is None else parts)
        ]

    def to_representation(self, instance: ProgressUpdate) -> dict[str, Any]:
        """Written out field by field: partner systems page through this list more than any
        other, and the generic path costs three times as much. The declared fields still give
        the schema, and a test holds both paths to the same output."""
        return {
            "id": instance.pk,
            "indicator": instance.indicator_id,
            "as_of": instance.as_of.isoformat(),
            "period": instance.period_id,
            "organisation": instance.organisation_id,
            "value": stored_quantity(instance.value),
            "numerator": stored_quantity(instance.numerator),
            "denominator": stored_quantity(instance.denominator),
            "values": self.get_values(instance),
            "narrative": instance.narrative,
            "evidence_url": instance.evidence_url,
            "status": instance.status,
            "version": instance.version,
            "review_note": instance.review_note,
            "submitted_at": moment(instance.submitted_at),
            "reviewed_at": moment(instance.reviewed_at),
            "updated_at": moment(instance.updated_at),
        }
