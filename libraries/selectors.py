"""Who sees and who loads an organisation's indicator libraries."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from indicators.models import Dimension
from partners.models import Organisation, User
from partners.selectors import acting_organisations, ancestors, managed_organisations

from .models import Entry, Library


def _owners_seen_by(user: User | AnonymousUser) -> set[int] | None:
    """The organisations whose libraries a user sees: those they act for and the networks above
    them (None: all, for a superuser)."""
    if not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return None
    own = set(acting_organisations(user))
    return own.union(*ancestors(own).values())


def visible_libraries(user: User | AnonymousUser) -> QuerySet[Library]:
    owners = _owners_seen_by(user)
    if owners is None:
        return Library.objects.all()
    return Library.objects.filter(organisation_id__in=owners)


def may_load_library(user: User, organisation: Organisation) -> bool:
    """An organisation's administrators and managers keep its libraries."""
    return managed_organisations(user).filter(pk=organisation.pk).exists()


def organisation_with_libraries(user: User | AnonymousUser, pk: int) -> Organisation:
    """An organisation whose libraries the user may see; 404 for anyone else."""
    owners = _owners_seen_by(user)
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None or (owners is not None and pk not in owners):
        raise Http404
    return organisation


def libraries_of(organisation: Organisation) -> QuerySet[Library]:
    """Every version of the organisation's libraries, the newest first, with their sizes."""
    return (
        Library.objects.filter(organisation=organisation)
        .annotate(entry_count=Count("entries"))
        .select_related("created_by")
        .order_by("name", "-version")
    )


def library_for_page(user: User | AnonymousUser, pk: int) -> Library:
    library = (
        visible_libraries(user)
        .select_related("organisation", "created_by")
        .prefetch_related(
            Prefetch(
                "entries",
                queryset=Entry.objects.prefetch_related(
                    Prefetch("dimensions", queryset=Dimension.objects.order_by("name"))
                ),
            )
        )
        .filter(pk=pk)
        .first()
    )
    if library is None:
        raise Http404
    return library


def usable_dimensions(organisation: Organisation) -> QuerySet[Dimension]:
    """The dimensions a library's indicators may require: the shared ones and the
    organisation's own."""
    return Dimension.objects.filter(owner__isnull=True) | Dimension.objects.filter(
        owner=organisation
    )
