"""The JSON of a project in API v1, with what hangs from it. Field names follow API.md: extend,
never rename."""

from typing import Any

from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from projects.models import BeneficiaryGroup, Funding, Location, Partnership, Project

from .representation import (
    UtcDateTimeField,
    day,
    moment,
    places,
    snapshot_of,
    translations,
    translations_field,
)
from .selectors import ProjectRelations, project_relations


class MoneySerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    currency = serializers.CharField()


class FundingSerializer(serializers.ModelSerializer):
    funder_name = serializers.CharField(source="funder.name")

    class Meta:
        model = Funding
        fields = ["funder", "funder_name", "amount", "currency", "date", "instrument"]


class PartnerSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name")
    role_name = serializers.CharField(source="get_role_display")

    class Meta:
        model = Partnership
        fields = ["organisation", "organisation_name", "role", "role_name"]


class BeneficiaryGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = BeneficiaryGroup
        fields = ["id", "name", "estimated_size", "women_share"]


class LocationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Location
        fields = ["id", "name", "kind", "code", "parent", "latitude", "longitude"]
        extra_kwargs = {
            "latitude": {"help_text": "WGS 84 decimal degrees, south negative; null if unknown."},
            "longitude": {"help_text": "WGS 84 decimal degrees, west negative; null if unknown."},
        }


class ProjectProgressSerializer(serializers.Serializer):
    indicators = serializers.IntegerField()
    not_started = serializers.IntegerField()
    reported = serializers.IntegerField(
        help_text="Indicators with approved figures but no target to measure them against."
    )
    on_track = serializers.IntegerField()
    at_risk = serializers.IntegerField()
    off_track = serializers.IntegerField()
    achieved = serializers.IntegerField()
    overall_percent = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    last_update = serializers.DateField(allow_null=True)
    computed_at = UtcDateTimeField(allow_null=True)


ROLE_NAMES = dict(Partnership.Role.choices)  # their labels, in the reader's language when read


class ProjectListSerializer(serializers.ListSerializer):
    """A page of projects reads what hangs from them once for the page."""

    def to_representation(self, data: Any) -> list[dict[str, Any]]:
        projects = list(data.all() if isinstance(data, models.manager.BaseManager) else data)
        self.child.relations = project_relations([project.pk for project in projects])
        return [self.child.to_representation(project) for project in projects]


class ProjectSerializer(serializers.ModelSerializer):
    relations: ProjectRelations | None = None  # set by the list for its whole page

    translations = translations_field()
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    budget = serializers.SerializerMethodField()
    fundings = FundingSerializer(many=True)
    partners = PartnerSerializer(many=True, source="partnerships")
    beneficiary_groups = BeneficiaryGroupSerializer(many=True)
    locations = LocationSerializer(many=True)
    progress = ProjectProgressSerializer(source="snapshot", allow_null=True)

    class Meta:
        model = Project
        list_serializer_class = ProjectListSerializer
        fields = [
            "id",
            "code",
            "title",
            "summary",
            "status",
            "start_date",
            "end_date",
            "budget",
            "fundings",
            "partners",
            "beneficiary_groups",
            "locations",
            "progress",
            "updated_at",
            "language",
            "translations",
            "iati_identifier",
        ]
        extra_kwargs = {
            "iati_identifier": {
                "help_text": "The IATI activity identifier, made once from the reporting "
                "organisation's IATI identifier and the code, then never changed; empty until "
                "that organisation has one."
            }
        }

    @extend_schema_field(MoneySerializer)
    def get_budget(self, project: Project) -> dict:
        return {"amount": project.budget, "currency": project.currency}

    def to_representation(self, instance: Project) -> dict[str, Any]:
        """Written out field by field from plain rows, as the updates are: the generic path
        spends most of a page of projects building and walking related objects. The declared
        fields still give the schema, and a test holds both paths to the same output."""
        project = instance
        relations = getattr(self, "relations", None) or project_relations([project.pk])
        snapshot = snapshot_of(project)
        return {
            "id": project.pk,
            "code": project.code,
            "title": project.title,
            "summary": project.summary,
            "status": project.status,
            "start_date": project.start_date.isoformat(),
            "end_date": project.end_date.isoformat(),
            "budget": self.get_budget(project),
            "fundings": [
                {
                    "funder": funder,
                    "funder_name": funder_name,
                    "amount": places(amount, Funding, "amount"),
                    "currency": currency,
                    "date": day(given_on),
                    "instrument": instrument,
                }
                for funder, funder_name, amount, currency, given_on, instrument in (
                    relations.fundings[project.pk]
                )
            ],
            "partners": [
                {
                    "organisation": organisation,
                    "organisation_name": organisation_name,
                    "role": role,
                    "role_name": str(ROLE_NAMES.get(role, role)),
                }
                for organisation, organisation_name, role in relations.partners[project.pk]
            ],
            "beneficiary_groups": [
                {
                    "id": pk,
                    "name": name,
                    "estimated_size": size,
                    "women_share": places(share, BeneficiaryGroup, "women_share"),
                }
                for pk, name, size, share in relations.beneficiary_groups[project.pk]
            ],
            "locations": [
                {
                    "id": pk,
                    "name": name,
                    "kind": kind,
                    "code": code,
                    "parent": parent,
                    "latitude": places(latitude, Location, "latitude"),
                    "longitude": places(longitude, Location, "longitude"),
                }
                for pk, name, kind, code, parent, latitude, longitude in relations.locations[
                    project.pk
                ]
            ],
            "progress": None
            if snapshot is None
            else {
                "indicators": snapshot.indicators,
                "not_started": snapshot.not_started,
                "reported": snapshot.reported,
                "on_track": snapshot.on_track,
                "at_risk": snapshot.at_risk,
                "off_track": snapshot.off_track,
                "achieved": snapshot.achieved,
                "overall_percent": places(snapshot.overall_percent, places=2),
                "last_update": day(snapshot.last_update),
                "computed_at": moment(snapshot.computed_at),
            },
            "updated_at": moment(project.updated_at),
            "language": project.language,
            "translations": translations(project.translations),
            "iati_identifier": project.iati_identifier,
        }
