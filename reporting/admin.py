"""Budget lines are listed to operators; they are written only through the project's budget
page, whose service checks them against the fundings and who may set the project up."""

from django.contrib import admin

from core.admin import ReadOnly

from .models import BudgetLine


@admin.register(BudgetLine)
class BudgetLineAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["project", "year", "name", "funding", "amount", "currency"]
    list_filter = ["year", "currency"]
    search_fields = ["name", "project__title", "project__code"]
