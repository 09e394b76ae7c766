from django.contrib import admin

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


@admin.register(Dimension)
class DimensionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CategoryInline]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "dimension"]
    list_filter = ["dimension"]
    search_fields = ["name", "slug"]
    list_select_related = ["dimension"]


class IndicatorDimensionInline(admin.TabularInline):
    model = IndicatorDimension
    extra = 0


class CategoryTargetInline(admin.TabularInline):
    model = CategoryTarget
    extra = 0
    autocomplete_fields = ["category"]


class PeriodTargetInline(admin.TabularInline):
    model = PeriodTarget
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
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
    autocomplete_fields = ["result", "beneficiary_group"]
    inlines = [IndicatorDimensionInline, CategoryTargetInline, PeriodTargetInline]


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["name", "project", "start", "end", "locked_at"]
    list_filter = ["project"]
    search_fields = ["name", "project__title"]
    list_select_related = ["project"]


class UpdateValueInline(admin.TabularInline):
    model = UpdateValue
    extra = 0


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    list_display = ["indicator", "as_of", "value", "status", "organisation", "is_illustrative"]
    list_filter = ["status", "is_illustrative", "indicator__project"]
    search_fields = ["indicator__code", "indicator__name", "narrative"]
    list_select_related = ["indicator", "organisation"]
    readonly_fields = ["version", "created_at", "updated_at"]
    inlines = [UpdateValueInline]
