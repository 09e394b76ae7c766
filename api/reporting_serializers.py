"""The JSON of budget lines and period reports."""

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from reporting.models import BudgetLine, Expenditure, PeriodReport, ReportFile

MONEY = {"max_digits": 16, "decimal_places": 2}


class BudgetLineSerializer(serializers.ModelSerializer):
    funder = serializers.SerializerMethodField(
        help_text="The organisation whose funding pays for the line; null for own funds."
    )
    amount = serializers.DecimalField(**MONEY, min_value=0)
    funding = serializers.SerializerMethodField(
        help_text="The funding it draws on; null for own funds, and while its funder has yet "
        "to confirm its part in the project."
    )

    class Meta:
        model = BudgetLine
        fields = ["id", "project", "year", "name", "funding", "funder", "amount", "currency"]
        extra_kwargs = {
            "currency": {"help_text": "ISO 4217; the funding's own when the line has one."},
        }

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_funding(self, line: BudgetLine) -> int | None:
        return line.funding.pk if line.funding is not None else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_funder(self, line: BudgetLine) -> int | None:
        return line.funding.funder_id if line.funding is not None else None


class ExpenditureSerializer(serializers.ModelSerializer):
    currency = serializers.CharField(
        source="line.currency", help_text="The budget line's: amounts are never converted."
    )
    amount = serializers.DecimalField(**MONEY, min_value=0)
    evidence_url = serializers.CharField(
        allow_blank=True, help_text="A web address of the evidence (http or https), or empty."
    )

    class Meta:
        model = Expenditure
        fields = ["line", "amount", "currency", "evidence_url"]


class SectionSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text="The prompt's key: achievements, difficulties, changes and lessons for the "
        "portal's prompts, others for those an organisation sets itself."
    )
    prompt = serializers.CharField(help_text="The question, in your language.")
    text = serializers.CharField()


class ReportFileSerializer(serializers.ModelSerializer):
    name = serializers.CharField(help_text="The file's name as it was uploaded.")
    size = serializers.IntegerField(min_value=0, help_text="In bytes.")
    download_url = serializers.SerializerMethodField(
        help_text="Where to GET the file itself, with the same credentials."
    )

    class Meta:
        model = ReportFile
        fields = ["id", "name", "caption", "size", "uploaded_at", "download_url"]

    def get_download_url(self, attached: ReportFile) -> str:
        path = reverse("period-report-file", args=[attached.report_id, attached.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class PeriodReportSerializer(serializers.ModelSerializer):
    sections = serializers.SerializerMethodField(
        help_text="The answers, in the prompts' order; a prompt left unanswered is left out."
    )
    expenditures = ExpenditureSerializer(many=True)
    files = ReportFileSerializer(many=True, help_text="Photos and documents attached to it.")
    women = serializers.IntegerField(allow_null=True, min_value=0, help_text="Final beneficiaries.")
    men = serializers.IntegerField(allow_null=True, min_value=0, help_text="Final beneficiaries.")

    class Meta:
        model = PeriodReport
        fields = [
            "id",
            "project",
            "period",
            "organisation",
            "status",
            "sections",
            "women",
            "men",
            "expenditures",
            "files",
            "submitted_at",
            "reviewed_at",
            "review_note",
            "updated_at",
        ]

    @extend_schema_field(SectionSerializer(many=True))
    def get_sections(self, report: PeriodReport) -> list[dict[str, Any]]:
        return [
            {"key": key, "prompt": question, "text": text}
            for key, question, text in report.keyed_answers()
        ]
