from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from core.admin import ReadOnly

from .models import BeneficiaryGroup, Confirmation, Funding, Location, Partnership, Project, Result


class FundingInline(ReadOnly, admin.TabularInline):
    model = Funding
    extra = 0
    autocomplete_fields = ["funder"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return Funding.every.all()  # those awaiting confirmation too


class PartnershipInline(ReadOnly, admin.TabularInline):
    model = Partnership
    extra = 0
    autocomplete_fields = ["organisation"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return Partnership.every.all()  # those awaiting confirmation too


class ConfirmationInline(ReadOnly, admin.TabularInline):
    """Consent is given by the organisation on its own pages, never here."""

    model = Confirmation
    extra = 0
    fields = ["organisation", "confirmed_at", "confirmed_by"]


class BeneficiaryGroupInline(ReadOnly, admin.TabularInline):
    model = BeneficiaryGroup
    extra = 0


class ResultInline(ReadOnly, admin.TabularInline):
    model = Result
    extra = 0
    fields = ["number", "level", "title", "parent", "order"]


@admin.register(Project)
class ProjectAdmin(ReadOnly, admin.ModelAdmin):
    """Shown only: projects are set up, archived and restored in the portal's own pages, whose
    services check who may and keep the history."""

    list_display = ["title", "code", "status", "planned_start", "planned_end", "budget", "currency"]
    list_filter = ["status", "currency", "is_public"]
    search_fields = ["title", "code", "summary"]
    filter_horizontal = ["locations"]
    inlines = [
        FundingInline,
        PartnershipInline,
        ConfirmationInline,
        BeneficiaryGroupInline,
        ResultInline,
    ]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]


@admin.register(BeneficiaryGroup)
class BeneficiaryGroupAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["name", "project", "estimated_size", "women_share"]
    search_fields = ["name", "project__title"]
    list_select_related = ["project"]


@admin.register(Result)
class ResultAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["number", "title", "level", "project"]
    list_filter = ["level"]
    search_fields = ["title", "project__title"]
    list_select_related = ["project"]
