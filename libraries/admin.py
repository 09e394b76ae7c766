"""Libraries are listed to operators; they are loaded only through the portal's pages, whose
service checks every row and who may load them."""

from django.contrib import admin

from core.admin import ReadOnly

from .models import Entry, Library


class EntryInline(ReadOnly, admin.TabularInline):
    model = Entry
    extra = 0
    fields = ["code", "name", "measure", "unit", "aggregation"]


@admin.register(Library)
class LibraryAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["name", "version", "organisation", "created_at", "superseded_at"]
    search_fields = ["name", "organisation__name"]
    inlines = [EntryInline]
