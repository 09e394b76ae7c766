"""GET /api/v1/changes/: the change feed of the caller (see feed.py for how it is kept)."""

import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from indicators.models import Indicator, ProgressUpdate
from indicators.selectors import update_values, visible_updates
from libraries.models import Library
from partners.models import Organisation, User
from projects.models import Project
from reporting.models import BudgetLine, PeriodReport

from . import feed, selectors
from . import serializers as api
from .library_serializers import LibrarySerializer
from .models import FeedEntry
from .project_serializers import ProjectSerializer
from .reporting_serializers import BudgetLineSerializer, PeriodReportSerializer
from .views import principal

Kind = feed.Kind
CHANGED, REMOVED = "changed", "removed"
DELETED, NO_LONGER_VISIBLE = "deleted", "no_longer_visible"
DEFAULT_LIMIT, MAX_LIMIT = 200, 1000


@dataclass(frozen=True)
class Listed:
    """A kind of object as its list serves it: what the caller may see, and how it is written."""

    model: type[Model]
    visible: Callable[[User], QuerySet]
    serializer: type[serializers.Serializer]


LISTS: dict[str, Listed] = {
    Kind.ORGANISATION: Listed(
        Organisation, selectors.listed_organisations, api.OrganisationSerializer
    ),
    Kind.LIBRARY: Listed(Library, selectors.listed_libraries, LibrarySerializer),
    Kind.PROJECT: Listed(Project, selectors.listed_projects, ProjectSerializer),
    Kind.BUDGET_LINE: Listed(BudgetLine, selectors.listed_budget_lines, BudgetLineSerializer),
    Kind.PERIOD_REPORT: Listed(
        PeriodReport, selectors.listed_period_reports, PeriodReportSerializer
    ),
    Kind.INDICATOR: Listed(Indicator, selectors.listed_indicators, api.IndicatorSerializer),
    Kind.UPDATE: Listed(
        ProgressUpdate,
        lambda user: selectors.listed_updates(user, many=True),
        api.UpdateSerializer,
    ),
}


class ChangeSerializer(serializers.Serializer):
    cursor = serializers.CharField(help_text="This change's place in your feed.")
    type = serializers.ChoiceField(choices=Kind.choices)
    id = serializers.IntegerField()
    action = serializers.ChoiceField(
        choices=[CHANGED, REMOVED],
        help_text=(
            "`changed`: store `data` under type and id, replacing what you hold (the object is "
            "new to you or differs from what you were sent). `removed`: drop what you hold "
            "under type and id."
        ),
    )
    reason = serializers.ChoiceField(
        choices=[DELETED, NO_LONGER_VISIBLE],
        allow_null=True,
        help_text=(
            "For a removal: `deleted`, or `no_longer_visible` to you (an update reopened while "
            "you see approved figures only, a funding or partnership removed, access lost). "
            "Null for a change."
        ),
    )
    data = PolymorphicProxySerializer(
        component_name="ChangedObject",
        serializers=[
            api.OrganisationSerializer,
            LibrarySerializer,
            ProjectSerializer,
            BudgetLineSerializer,
            api.IndicatorSerializer,
            api.UpdateSerializer,
            PeriodReportSerializer,
        ],
        resource_type_field_name=None,
        allow_null=True,
        help_text="The object as its list writes it; null for a removal.",
    )


class ChangeQuerySerializer(serializers.Serializer):
    since = serializers.RegexField(
        r"^[0-9]{0,18}$",
        required=False,
        allow_blank=True,
        help_text=(
            "The `cursor` of your last page; empty or left out to begin, which sends "
            "everything you may see. A cursor this feed did not give you answers 400."
        ),
    )
    upto = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=10**18 - 1,
        help_text="Set in `next` links: the end of the walk those pages belong to.",
    )
    limit = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_LIMIT,
        help_text=f"Changes per page, 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT}).",
    )


class ChangePageSerializer(serializers.Serializer):
    cursor = serializers.CharField(
        help_text="Send it as `since` next time: the last change on this page, or your "
        "`since` when the page is empty."
    )
    next = serializers.URLField(
        allow_null=True, help_text="The following page, when there is more; otherwise null."
    )
    results = ChangeSerializer(many=True)


# Every column an update's representation is written from, beside its values: the fields the
# list writes (UpdateSerializer), the related ones by their id columns.
UPDATE_COLUMNS = tuple(
    f"{name}_id" if name in ("indicator", "period", "organisation") else name
    for name in api.UpdateSerializer.Meta.fields
    if name != "values"
)


def update_fingerprints(user: User) -> dict[int, str]:
    """A fingerprint of each update the caller may see, from its columns and its values read as
    plain rows: updates are most of what a caller sees, and building each as the list writes
    it would cost ten times as much."""
    updates = visible_updates(user)
    values: dict[int, list[tuple]] = defaultdict(list)
    for update_id, *value in (
        update_values()
        .filter(update_id__in=updates.values("pk"))
        .values_list("update_id", "category__dimension__slug", "category__slug", "value")
    ):
        values[update_id].append(tuple(value))
    # The repr of plain values (numbers, texts, dates) is stable, and three times as quick to
    # hash as JSON.
    return {
        row[0]: hashlib.sha256(repr((row, values.get(row[0], []))).encode()).hexdigest()
        for row in updates.order_by().values_list(*UPDATE_COLUMNS)
    }


class Visible:
    """What the caller may see now: fingerprints of everything, and each object as its list
    writes it, for the page being sent."""

    def __init__(self, request: Request):
        self.request = request
        self.user = principal(request)
        self.written: dict[str, dict[int, Any]] = {}

    def _write(self, kind: str, queryset: QuerySet) -> dict[int, Any]:
        serializer = LISTS[kind].serializer
        rows = serializer(queryset, many=True, context={"request": self.request}).data
        return {row["id"]: row for row in rows}

    def fingerprints(self) -> dict[str, dict[int, str]]:
        prints: dict[str, dict[int, str]] = {}
        for kind in (
            Kind.ORGANISATION,
            Kind.LIBRARY,
            Kind.PROJECT,
            Kind.BUDGET_LINE,
            Kind.INDICATOR,
            Kind.PERIOD_REPORT,
        ):
            # Few beside the updates: written out whole, and kept for the page.
            self.written[kind] = self._write(kind, LISTS[kind].visible(self.user))
            prints[kind] = {pk: feed.fingerprint(row) for pk, row in self.written[kind].items()}
        prints[Kind.UPDATE] = update_fingerprints(self.user)
        return prints

    def written_out(self, entries: list[FeedEntry]) -> dict[tuple[str, int], Any]:
        """The objects of these entries, as their lists write them, where the caller may still
        see them."""
        found: dict[tuple[str, int], Any] = {}
        for kind in Kind:
            ids = {e.object_id for e in entries if e.kind == kind and not e.removed}
            if not ids:
                continue
            written = self.written.get(kind)
            if written is None:
                written = self._write(kind, LISTS[kind].visible(self.user).filter(pk__in=ids))
            found.update(((kind, pk), written[pk]) for pk in ids if pk in written)
        return found


class ChangeFeedView(APIView):
    @extend_schema(
        operation_id="changes_list",
        tags=["changes"],
        parameters=[ChangeQuerySerializer],
        responses=ChangePageSerializer,
        description=(
            "Every change to the organisations, indicator libraries, projects (details and "
            "progress), budget lines, indicators (definition and figures), updates and period "
            "reports you may see, since "
            "`since`, oldest first; and a removal for each you held and may no longer see. "
            "Replaying every page in order into a copy keyed by type and id leaves it equal to "
            "the lists. An object that changes again moves to the end of the feed: it is sent "
            "once, as it is now."
        ),
    )
    def get(self, request: Request) -> Response:
        user = principal(request)
        query = ChangeQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        since = int(query.validated_data.get("since") or 0)
        upto = query.validated_data.get("upto")
        last = feed.last_sequence(user)
        if since > last or (upto is not None and not since <= upto <= last):
            raise exceptions.ValidationError(
                {"since": [_("This cursor was not given out by the change feed.")]}
            )
        limit = query.validated_data.get("limit", DEFAULT_LIMIT)
        visible = Visible(request)
        if upto is None:
            reading = feed.read(by=user, prints=visible.fingerprints(), after=since, limit=limit)
        else:
            # The following page of the same walk: what was numbered then, without numbering
            # again (the next walk sends what changed meanwhile).
            reading = feed.entries_between(by=user, after=since, upto=upto, limit=limit)
        written = visible.written_out(reading.entries)
        deleted = _deleted([e for e in reading.entries if (e.kind, e.object_id) not in written])
        results = []
        for entry in reading.entries:
            key = (entry.kind, entry.object_id)
            if key in written:
                results.append(_change(entry, CHANGED, None, written[key]))
            else:  # removed, or no longer visible since this walk began
                results.append(
                    _change(entry, REMOVED, DELETED if key in deleted else NO_LONGER_VISIBLE)
                )
        cursor = results[-1]["cursor"] if results else str(since)
        following = None
        if reading.more:
            following = replace_query_param(
                replace_query_param(request.build_absolute_uri(), "since", cursor),
                "upto",
                str(reading.last_sequence),
            )
        return Response({"cursor": cursor, "next": following, "results": results})


def _change(entry: FeedEntry, action: str, reason: str | None, data: Any = None) -> dict:
    return {
        "cursor": str(entry.sequence),
        "type": entry.kind,
        "id": entry.object_id,
        "action": action,
        "reason": reason,
        "data": data,
    }


def _deleted(entries: list[FeedEntry]) -> set[tuple[str, int]]:
    """Which of the objects of these removals no longer exist at all."""
    gone: set[tuple[str, int]] = set()
    for kind, listed in LISTS.items():
        ids = {entry.object_id for entry in entries if entry.kind == kind}
        if ids:
            manager = listed.model._default_manager
            existing = set(manager.filter(pk__in=ids).values_list("pk", flat=True))
            gone.update((kind, pk) for pk in ids - existing)
    return gone
