"""Writes about organisations and people."""

from django.db import transaction

from .models import Membership, Organisation, User


@transaction.atomic
def save_organisation(
    *,
    short_name: str,
    name: str,
    kind: str,
    country: str = "",
    parent: Organisation | None = None,
    oversees_members: bool = False,
    single_manager: bool = False,
    description: str = "",
    website: str = "",
) -> Organisation:
    """Create the organisation with this short name, or bring it up to date."""
    organisation, _created = Organisation.objects.update_or_create(
        short_name=short_name,
        defaults={
            "name": name,
            "kind": kind,
            "country": country,
            "parent": parent,
            "oversees_members": oversees_members,
            "single_manager": single_manager,
            "description": description,
            "website": website,
        },
    )
    organisation.full_clean()
    return organisation


@transaction.atomic
def save_user(
    *, username: str, password: str, first_name: str = "", last_name: str = "", email: str = ""
) -> User:
    """Create the user, or reset their name and password."""
    user, _created = User.objects.get_or_create(username=username)
    user.first_name = first_name
    user.last_name = last_name
    user.email = email
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def set_membership(*, user: User, organisation: Organisation, role: str) -> Membership:
    membership, _created = Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    return membership
