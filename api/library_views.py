"""GET /api/v1/libraries/: the indicator libraries the caller may see, and their standard
indicators' results across projects."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from libraries.selectors import library_results

from . import filters, selectors
from .library_serializers import LibraryResultsSerializer, LibrarySerializer
from .views import ID_PATTERN


class LibraryViewSet(viewsets.ReadOnlyModelViewSet):
    """The libraries of standard indicators kept by the organisations you act for and by the
    networks above them, every version, with their indicators."""

    lookup_value_regex = ID_PATTERN
    serializer_class = LibrarySerializer
    filterset_class = filters.LibraryFilter
    ordering_fields = ["id", "name", "version"]
    ordering = ["id"]

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.listed_libraries(self.request.user)

    @extend_schema(
        responses=LibraryResultsSerializer,
        description=(
            "For each indicator of the library, the approved figures of the project "
            "indicators linked to it (to any version of the library) in the projects you may "
            "see, and their total: each project counted once, counts and amounts added up, "
            "percentages combined from their numerators and denominators; by the year the "
            "reporting periods end and by category. Read from the recomputed figures."
        ),
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def results(self, request: Request, pk: str | None = None) -> Response:
        library = self.get_object()
        rows = library_results(request.user, library)
        return Response(LibraryResultsSerializer({"library": library, "rows": rows}).data)
