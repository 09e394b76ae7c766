import base64
import binascii
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param


def _positive_whole_number(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18 or int(raw) < 1:
        raise exceptions.ValidationError({name: [_("Give a whole number from 1 up.")]})
    return int(raw)


class Pagination(PageNumberPagination):
    """`?page=` from 1 (a page past the last is a 404) and `?page_size=` from 1; a page size
    above 500 is served as 500."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request: Request) -> int:
        size = _positive_whole_number(request, self.page_size_query_param)
        return self.page_size if size is None else min(size, self.max_page_size)

    def paginate_queryset(
        self, queryset: Any, request: Request, view: Any = None
    ) -> list[Any] | None:
        _positive_whole_number(request, self.page_query_param)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Page number, from 1; a page past the last answers 404.",
                "schema": {"type": "integer", "minimum": 1, "maximum": 10**18 - 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": "Results per page (default 50); above 500 is served as 500.",
                "schema": {"type": "integer", "minimum": 1, "maximum": 10**18 - 1},
            },
        ]


class SyncPagination(Pagination):
    """Page numbers as everywhere, plus a keyset walk for partner systems that copy the whole
    list: `?cursor=` (empty to begin) pages by last change, then id, and each page's `next`
    carries on from its last row. A row changed during the walk moves to its end and is sent
    again, so nothing is missed; no page costs a count or an offset, however far the walk.
    """

    cursor_query_param = "cursor"
    ordering = ("updated_at", "id")

    def paginate_queryset(
        self, queryset: Any, request: Request, view: Any = None
    ) -> list[Any] | None:
        self.walking = self.cursor_query_param in request.query_params
        if not self.walking:
            return super().paginate_queryset(queryset, request, view)
        for clashing in (self.page_query_param, "ordering"):
            if clashing in request.query_params:
                raise exceptions.ValidationError(
                    {clashing: [_("A walk with a cursor takes neither page nor ordering.")]}
                )
        self.request = request
        size = self.get_page_size(request)
        position = self._position(request.query_params[self.cursor_query_param])
        rows = queryset.order_by(*self.ordering)
        if position is not None:
            changed, pk = position
            rows = rows.filter(updated_at__gte=changed).exclude(updated_at=changed, pk__lte=pk)
        page = list(rows[: size + 1])
        self.last_row = page[size - 1] if len(page) > size else None
        return page[:size]

    def _position(self, cursor: str) -> tuple[datetime, int] | None:
        if cursor == "":
            return None
        try:
            changed, pk = base64.urlsafe_b64decode(cursor.encode("ascii")).decode().split("|")
            moment = datetime.fromisoformat(changed)
            if moment.tzinfo is None or not pk.isdigit():
                raise ValueError(cursor)
            return moment, int(pk)
        except (ValueError, UnicodeError, binascii.Error):
            raise exceptions.ValidationError(
                {self.cursor_query_param: [_("This cursor was not given out by the API.")]}
            ) from None

    def _cursor(self, row: Any) -> str:
        text = f"{row.updated_at.isoformat()}|{row.pk}"
        return base64.urlsafe_b64encode(text.encode()).decode("ascii")

    def get_paginated_response(self, data: Any) -> Response:
        if not self.walking:
            return super().get_paginated_response(data)
        following = None
        if self.last_row is not None:
            following = replace_query_param(
                self.request.build_absolute_uri(),
                self.cursor_query_param,
                self._cursor(self.last_row),
            )
        return Response({"count": None, "next": following, "previous": None, "results": data})

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count"] = {
            "type": "integer",
            "nullable": True,
            "description": "How many rows the filters select; null in a walk with a cursor.",
        }
        return response

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": (
                    "Walk the whole list by last change, then id, without counting: empty to "
                    "begin, then the cursor in each page's `next`. Not with `page` or "
                    "`ordering` (400). An unknown cursor answers 400."
                ),
                "schema": {"type": "string", "maxLength": 200},
            },
        ]
