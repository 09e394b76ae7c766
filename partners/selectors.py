"""Reads about organisations and people: above all, which organisations act for a user."""

from collections import defaultdict
from collections.abc import Iterable, Mapping

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from .models import Invitation, Membership, Organisation, User


def descendants_by_root(roots: Iterable[int]) -> dict[int, set[int]]:
    """For each given organisation, itself and every member below it in the network, at any
    depth. One query, however many roots."""
    roots = set(roots)
    if not roots:
        return {}
    children: dict[int, list[int]] = defaultdict(list)
    for child_id, parent_id in Organisation.objects.filter(parent__isnull=False).values_list(
        "id", "parent_id"
    ):
        children[parent_id].append(child_id)
    result = {}
    for root in roots:
        found = {root}
        frontier = [root]
        while frontier:
            for child_id in children.get(frontier.pop(), ()):
                if child_id not in found:
                    found.add(child_id)
                    frontier.append(child_id)
        result[root] = found
    return result


def descendants(organisation_ids: Iterable[int]) -> set[int]:
    """The given organisations and every member below them in the network, at any depth."""
    return set().union(*descendants_by_root(organisation_ids).values())


def acting_organisations(user: User | AnonymousUser) -> dict[int, str]:
    """Organisation id → the user's role, for every organisation whose work the user sees.

    A user acts for the organisations they are a member of and, where an organisation oversees
    its members' work, for every organisation below it in the network (with the same role).
    """
    if not user.is_authenticated:
        return {}
    memberships = list(
        Membership.objects.filter(user=user).values_list(
            "organisation_id", "role", "organisation__oversees_members"
        )
    )
    roles: dict[int, str] = {org_id: role for org_id, role, _oversees in memberships}
    overseeing = [(org_id, role) for org_id, role, oversees in memberships if oversees]
    for org_id, role in overseeing:
        for member_id in descendants([org_id]):
            roles.setdefault(member_id, role)
    return roles


def ancestors(
    organisation_ids: Iterable[int], *, known_parents: Mapping[int, int | None] | None = None
) -> dict[int, set[int]]:
    """For each organisation, every organisation above it in the network (not itself).

    `known_parents` are parents the caller has already read (organisation → parent): the
    climb starts above them, a query shorter.
    """
    ids = list(organisation_ids)
    parents: dict[int, int | None] = dict(known_parents or {})
    wanted = set(ids) - parents.keys()
    wanted |= {parent for parent in parents.values() if parent is not None} - parents.keys()
    # One level of the tree per query: as many queries as the network is deep, each reading
    # only the organisations on the way up, however many others there are.
    while wanted:
        level = dict(
            Organisation.objects.filter(pk__in=wanted).order_by().values_list("id", "parent_id")
        )
        parents.update(level)
        wanted = {parent for parent in level.values() if parent is not None} - parents.keys()
    result = {}
    for organisation_id in ids:
        found: set[int] = set()
        current = parents.get(organisation_id)
        while current is not None and current not in found:
            found.add(current)
            current = parents.get(current)
        result[organisation_id] = found
    return result


def administered_organisations(user: User) -> "QuerySet[Organisation]":
    """Organisations the user administers through a membership of their own."""
    if user.is_superuser and user.is_active:
        return Organisation.objects.all()
    return Organisation.objects.filter(
        memberships__user=user, memberships__role=Membership.Role.ADMIN
    )


def administered_organisation(user: User, pk: int) -> Organisation:
    """An organisation the user administers; 403 for its other members, 404 for everyone else."""
    try:
        return administered_organisations(user).get(pk=pk)
    except Organisation.DoesNotExist:
        if Membership.objects.filter(user=user, organisation_id=pk).exists():
            raise PermissionDenied from None
        raise Http404 from None


def open_invitations(organisation: Organisation | None) -> "QuerySet[Invitation]":
    """Invitations that can still be accepted, of one organisation or of all."""
    invitations = Invitation.objects.filter(
        accepted_at=None, withdrawn_at=None, expires_at__gt=timezone.now()
    )
    if organisation is not None:
        invitations = invitations.filter(organisation=organisation)
    return invitations


def people_of(organisation: Organisation) -> "QuerySet[Membership]":
    """Who has access to the organisation, API tokens aside."""
    return (
        Membership.objects.filter(organisation=organisation, user__is_api_client=False)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__username")
    )


def managed_organisations(user: User) -> "QuerySet[Organisation]":
    """Organisations whose projects the user may start: they administer or manage them."""
    if user.is_superuser and user.is_active:
        return Organisation.objects.all()
    return Organisation.objects.filter(
        memberships__user=user,
        memberships__role__in=[Membership.Role.ADMIN, Membership.Role.MANAGER],
    )


def managed_organisation(user: User, pk: int) -> Organisation:
    """An organisation the user administers or manages; 403 for its other members, 404 for
    everyone else."""
    try:
        return managed_organisations(user).distinct().get(pk=pk)
    except Organisation.DoesNotExist:
        if Membership.objects.filter(user=user, organisation_id=pk).exists():
            raise PermissionDenied from None
        raise Http404 from None
