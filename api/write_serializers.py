"""The JSON partner systems send: updates to record or change, review transitions, progress
imports; every field bounded and every unknown field refused."""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from indicators.services.checks import MAX_TEXT_LENGTH

from .filters import BIGGEST_ID

QUANTITY = {"max_digits": 20, "decimal_places": 4}

# Within what a quantity column holds (16 whole digits), and exact as a JSON number.
LARGEST_QUANTITY = Decimal("999999999999999")


class Quantity(serializers.DecimalField):
    """A count or amount: from 0 to what the database holds, rounded to 4 decimal places
    (the schema says so; more decimals are rounded, never refused)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault("max_value", LARGEST_QUANTITY)
        super().__init__(**QUANTITY, rounding=ROUND_HALF_UP, **kwargs)

    def validate_precision(self, value: Decimal) -> Decimal:
        return value  # the bounds limit the digits; quantize rounds the decimals

    def quantize(self, value: Decimal) -> Decimal:
        # Out of bounds, the value is left for the bounds to refuse with their message.
        return value if value.copy_abs() > LARGEST_QUANTITY else super().quantize(value)


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know (a misspelt field would otherwise be dropped silently);
    the schema says so with additionalProperties: false."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: ["This field is not part of the API."] for name in unknown}
                )
        return super().to_internal_value(data)


class CategoryValueSerializer(StrictSerializer):
    dimension = serializers.SlugField(max_length=64)
    category = serializers.SlugField(max_length=64)
    value = Quantity()


def quantity() -> serializers.DecimalField:
    return Quantity(required=False, allow_null=True)


class UpdateWriteSerializer(StrictSerializer):
    """What a partner system sends to record or change an update."""

    indicator = serializers.IntegerField(min_value=1, max_value=BIGGEST_ID)
    as_of = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=(
            "The date the figures describe. Required unless `period` is given; with `period` it "
            "defaults to the period's end (today while the period runs) and must fall inside it."
        ),
    )
    period = serializers.IntegerField(
        min_value=1,
        max_value=BIGGEST_ID,
        required=False,
        allow_null=True,
        help_text=(
            "The reporting period (an `id` from /indicators/{id}/periods/) the figures belong to. "
            "Without it the update is filed under the period containing `as_of`."
        ),
    )
    value = quantity()
    numerator = quantity()
    denominator = quantity()
    values = CategoryValueSerializer(many=True, required=False)
    # Without NUL characters, which no database column holds: DRF's text fields refuse them.
    narrative = serializers.CharField(
        max_length=MAX_TEXT_LENGTH, required=False, allow_blank=True, default=""
    )
    evidence_url = serializers.RegexField(
        r"^(https?://[^\s\x00]+)?$",
        max_length=1000,
        required=False,
        allow_blank=True,
        default="",
        help_text="An http or https link to the evidence.",
        error_messages={"invalid": gettext_lazy("Give an http or https link.")},
    )
    organisation = serializers.IntegerField(
        min_value=1, max_value=BIGGEST_ID, required=False, allow_null=True
    )
    submit = serializers.BooleanField(
        required=False, default=False, help_text="Submit for review at once."
    )


class UpdateEditSerializer(UpdateWriteSerializer):
    indicator = None
    version = serializers.IntegerField(
        min_value=0,
        max_value=BIGGEST_ID,
        help_text="The version you read; a stale one is refused with 409.",
    )


class TransitionSerializer(StrictSerializer):
    """Submit and approve: optionally the version read."""

    version = serializers.IntegerField(
        min_value=0,
        max_value=BIGGEST_ID,
        required=False,
        help_text="The version you read; stale gives 409.",
    )


class NoteTransitionSerializer(TransitionSerializer):
    """Return (with the reviewer's note) and reopen (with the reason)."""

    note = serializers.RegexField(
        r"^[^\x00]*\S[^\x00]*$",
        max_length=MAX_TEXT_LENGTH,
        help_text="The reviewer's note (return) or the reason (reopen): not blank.",
        error_messages={"invalid": gettext_lazy("Write a note, without NUL characters.")},
    )


class DeleteQuerySerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=0,
        max_value=BIGGEST_ID,
        required=False,
        help_text="The version you read; a stale one is refused with 409.",
    )


class ProgressImportSerializer(StrictSerializer):
    project = serializers.IntegerField(min_value=1, max_value=BIGGEST_ID)
    csv = serializers.CharField(
        max_length=5_000_000,
        trim_whitespace=False,
        help_text="The filled-in CSV template of the project (GET /projects/{id}/import/"
        "template.csv in the portal), header row first.",
    )
    submit = serializers.BooleanField(default=False, help_text="Submit for review, not draft.")
    dry_run = serializers.BooleanField(
        default=False, help_text="Check every row and store nothing."
    )


class ImportProblemSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="The file's row number; 0 for the whole file.")
    column = serializers.CharField()
    message = serializers.CharField()


class ImportResultSerializer(serializers.Serializer):
    checked = serializers.IntegerField()
    created = serializers.IntegerField()


class ImportProblemsSerializer(serializers.Serializer):
    problems = ImportProblemSerializer(many=True)
