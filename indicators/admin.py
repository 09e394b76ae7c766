"""The admin lists and shows indicators, periods and updates to operators. It changes none of
them: definitions, figures and the workflow change only through the services, which check who
may act, keep the history and mark dashboards stale."""

from django.contrib import admin

from core.admin import ReadOnly
from projects.admin import ProjectAdmin
from projects.models import Project

from .models import (
    Category,
    CategoryTarget,
    Dimension,
    Indicator,
    IndicatorDimension,
    Period,
    PeriodTarget,
    ProgressUpdate,
    UpdateValue,
)


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 0
    # Translations are checked by the services; the admin does not write them unchecked.
    exclude = ["translations"]


@admin.register(Dimension)
class DimensionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CategoryInline]
    exclude = ["translations"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "dimension"]
    list_filter = ["dimension"]
    search_fields = ["name", "slug"]
    list_select_related = ["dimension"]
    exclude = ["translations"]


class IndicatorDimensionInline(ReadOnly, admin.TabularInline):
    model = IndicatorDimension
    extra = 0


class CategoryTargetInline(ReadOnly, admin.TabularInline):
    model = CategoryTarget
    extra = 0


class PeriodTargetInline(ReadOnly, admin.TabularInline):
    model = PeriodTarget
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(ReadOnly, admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "project",
        "measure",
        "aggregation",
        "target_kind",
        "target_value",
    ]
    list_filter = ["measure", "aggregation", "direction", "target_kind", "project"]
    search_fields = ["code", "name", "project__title"]
    list_select_related = ["project"]
    inlines = [IndicatorDimensionInline, CategoryTargetInline, PeriodTargetInline]


@admin.register(Period)
class PeriodAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["name", "project", "start", "end", "locked_at"]
    list_filter = ["project"]
    search_fields = ["name", "project__title"]
    list_select_related = ["project"]


class UpdateValueInline(ReadOnly, admin.TabularInline):
    model = UpdateValue
    extra = 0


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["indicator", "as_of", "value", "status", "organisation", "is_illustrative"]
    list_filter = ["status", "is_illustrative", "indicator__project"]
    search_fields = ["indicator__code", "indicator__name", "narrative"]
    list_select_related = ["indicator", "organisation"]
    inlines = [UpdateValueInline]


class IndicatorInline(ReadOnly, admin.TabularInline):
    """Listed with a link; indicators change only through the services."""

    model = Indicator
    extra = 0
    fields = [
        "code",
        "name",
        "measure",
        "unit",
        "aggregation",
        "target_kind",
        "target_value",
        "result",
    ]
    show_change_link = True


# The project's page in the admin lists its indicators too; projects knows nothing of
# indicators, so the indicators app adds them to the page projects registered.
class ProjectWithIndicatorsAdmin(ProjectAdmin):
    inlines = [*ProjectAdmin.inlines, IndicatorInline]


admin.site.unregister(Project)
admin.site.register(Project, ProjectWithIndicatorsAdmin)
