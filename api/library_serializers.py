"""The JSON of the indicator libraries and of their results across projects."""

from decimal import Decimal

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from libraries.models import Entry, Library
from libraries.selectors import EntryRow

from .representation import translations_field
from .write_serializers import QUANTITY


class LibraryEntrySerializer(serializers.ModelSerializer):
    translations = translations_field()
    methodology_url = serializers.CharField(
        allow_blank=True, help_text="A web address of how it is measured, or empty."
    )
    disaggregations = serializers.SlugRelatedField(
        source="dimensions",
        slug_field="slug",
        many=True,
        read_only=True,
        help_text="The dimensions a linked indicator must report its figures by, by slug.",
    )

    class Meta:
        model = Entry
        fields = [
            "code",
            "name",
            "measure",
            "unit",
            "aggregation",
            "disaggregations",
            "methodology_url",
            "tags",
            "translations",
        ]


class LibrarySerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name")
    source = serializers.CharField(
        allow_blank=True, help_text="Where a list published by someone else comes from, or empty."
    )
    current = serializers.SerializerMethodField(
        help_text="False once a newer version replaces it; indicators linked to it keep it."
    )
    entries = LibraryEntrySerializer(many=True)
    results_url = serializers.SerializerMethodField(
        help_text="Its standard indicators' totals across the projects you may see."
    )

    class Meta:
        model = Library
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "name",
            "version",
            "language",
            "source",
            "created_at",
            "superseded_at",
            "current",
            "entries",
            "results_url",
        ]

    def get_current(self, library: Library) -> bool:
        return library.superseded_at is None

    def get_results_url(self, library: Library) -> str:
        path = reverse("library-results", args=[library.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class PartTotalSerializer(serializers.Serializer):
    dimension = serializers.CharField(help_text="The dimension's slug, e.g. `sex`.")
    category = serializers.CharField(help_text="The category's slug, e.g. `women`.")
    name = serializers.CharField(help_text="“Dimension: category”, in your language.")
    value = serializers.DecimalField(**QUANTITY)


class YearTotalSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text="The year the reporting periods end in.")
    value = serializers.DecimalField(**QUANTITY)


class ProjectFigureSerializer(serializers.Serializer):
    project = serializers.IntegerField(source="project.pk")
    project_code = serializers.CharField(source="project.code")
    indicator = serializers.IntegerField(source="indicator.pk")
    indicator_code = serializers.CharField(source="indicator.code")
    value = serializers.DecimalField(
        **QUANTITY, allow_null=True, help_text="Its approved figure; null before the first."
    )
    share = serializers.DecimalField(
        max_digits=9,
        decimal_places=4,
        allow_null=True,
        help_text="For a percentage: its approved numerator over denominator, as a fraction.",
    )


class EntryResultsSerializer(serializers.Serializer):
    code = serializers.CharField(source="entry.code")
    name = serializers.CharField(source="entry.name")
    measure = serializers.ChoiceField(
        source="entry.measure", choices=Entry._meta.get_field("measure").choices
    )
    unit = serializers.CharField(source="entry.unit")
    aggregation = serializers.ChoiceField(
        source="entry.aggregation", choices=Entry._meta.get_field("aggregation").choices
    )
    rule = serializers.CharField(help_text="Why the figures add up, in your language.")
    value = serializers.SerializerMethodField(
        help_text="Counts and amounts: the projects' approved figures added up (each project's "
        "latest, for an indicator whose latest value counts). Null before any project has "
        "one, and for percentages, milestones and qualitative indicators."
    )
    share = serializers.SerializerMethodField(
        help_text="Percentages: the projects' numerators over their denominators, added up, "
        "as a fraction; null unless every project with a figure gave them."
    )
    projects_with_figures = serializers.SerializerMethodField(
        help_text="How many of the linked projects have an approved figure."
    )
    parts = PartTotalSerializer(
        many=True, help_text="The total by category, the sex categories first."
    )
    years = serializers.SerializerMethodField(
        help_text="Counts and amounts: the total by the year the reporting periods end in "
        "(each project's periods added up, or its last period's figure in a year for an "
        "indicator whose latest value counts)."
    )
    projects = serializers.SerializerMethodField(
        help_text="Every linked project you may see, with what it brings."
    )

    @extend_schema_field(serializers.DecimalField(**QUANTITY, allow_null=True))
    def get_value(self, row: EntryRow) -> Decimal | None:
        return row.results.total.value if row.results is not None else None

    @extend_schema_field(serializers.DecimalField(max_digits=9, decimal_places=4, allow_null=True))
    def get_share(self, row: EntryRow) -> Decimal | None:
        return row.results.total.share if row.results is not None else None

    @extend_schema_field(serializers.IntegerField(min_value=0))
    def get_projects_with_figures(self, row: EntryRow) -> int:
        return row.results.total.contributing if row.results is not None else 0

    @extend_schema_field(YearTotalSerializer(many=True))
    def get_years(self, row: EntryRow) -> list[dict]:
        years = row.results.total.by_year if row.results is not None else {}
        return YearTotalSerializer(
            [{"year": year, "value": value} for year, value in years.items()], many=True
        ).data

    @extend_schema_field(ProjectFigureSerializer(many=True))
    def get_projects(self, row: EntryRow) -> list[dict]:
        figures = row.results.projects if row.results is not None else []
        return ProjectFigureSerializer(figures, many=True).data


class LibraryResultsSerializer(serializers.Serializer):
    library = serializers.IntegerField(source="library.pk")
    name = serializers.CharField(source="library.name")
    version = serializers.IntegerField(source="library.version")
    results = EntryResultsSerializer(many=True, source="rows")
