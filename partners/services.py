"""Writes about organisations and people."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.authorship import set_author
from core.checks import refuse_nul_and_oversize

from .models import Invitation, Membership, Organisation, User
from .selectors import descendants, open_invitations


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
    iati_identifier: str = "",
    iati_type: str = "",
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
            "iati_identifier": iati_identifier,
            "iati_type": iati_type,
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


# Organisation administrators: the organisation's details and who has access.

INVITATION_LIFETIME = timedelta(days=7)


def require_admin(by: User, organisation: Organisation) -> None:
    if by.is_superuser and by.is_active:
        return
    if not Membership.objects.filter(
        user=by, organisation=organisation, role=Membership.Role.ADMIN
    ).exists():
        raise PermissionDenied(
            _("Only an administrator of %(organisation)s may do this.")
            % {"organisation": organisation.name}
        )


@transaction.atomic
def update_organisation(
    *,
    organisation: Organisation,
    by: User,
    name: str,
    short_name: str,
    kind: str,
    parent: Organisation | None,
    oversees_members: bool,
    iati_identifier: str = "",
    iati_type: str = "",
    requires_two_factor: bool | None = None,
) -> Organisation:
    """Change an organisation's details, as one of its administrators. Requiring two-factor
    sign-in sends each administrator without it to set it up (None leaves it as it is)."""
    require_admin(by, organisation)
    name, short_name = name.strip(), short_name.strip()
    refuse_nul_and_oversize(name=name, short_name=short_name)
    errors: dict[str, str] = {}
    others = Organisation.objects.exclude(pk=organisation.pk)
    if not name:
        errors["name"] = _("Give the organisation's name.")
    elif others.filter(name__iexact=name).exists():
        errors["name"] = _("Another organisation already has this name.")
    if not short_name:
        errors["short_name"] = _("Give a short name.")
    elif others.filter(short_name__iexact=short_name).exists():
        errors["short_name"] = _("Another organisation already has this short name.")
    if kind not in Organisation.Kind.values:
        errors["kind"] = _("Choose one of the kinds offered.")
    iati_identifier = iati_identifier.strip()
    if iati_identifier and others.filter(iati_identifier__iexact=iati_identifier).exists():
        errors["iati_identifier"] = _("Another organisation has this IATI identifier.")
    if parent is not None and parent.pk in descendants([organisation.pk]):
        errors["parent"] = _(
            "An organisation cannot belong to itself or to one of its own members."
        )
    if errors:
        raise ValidationError(errors)
    organisation.name = name
    organisation.short_name = short_name
    organisation.kind = kind
    organisation.parent = parent
    organisation.oversees_members = oversees_members
    organisation.iati_identifier = iati_identifier
    organisation.iati_type = iati_type
    if requires_two_factor is not None:
        organisation.requires_two_factor = requires_two_factor
    set_author(organisation, by)
    organisation.full_clean()
    organisation.save()
    return organisation


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def invite(
    *, organisation: Organisation, by: User, email: str, role: str
) -> tuple[Invitation, str]:
    """Offer someone a role by e-mail. Returns the invitation and the key for its link, which
    is not stored and cannot be recovered. A newer invitation to the same address replaces an
    older one that is still open."""
    require_admin(by, organisation)
    return _create_invitation(organisation=organisation, by=by, email=email, role=role)


@transaction.atomic
def invite_administrator(*, organisation: Organisation, email: str) -> tuple[Invitation, str]:
    """For operators, from the command line: invite an administrator, such as a new
    organisation's first, who then invites everyone else from the portal."""
    return _create_invitation(
        organisation=organisation, by=None, email=email, role=Membership.Role.ADMIN
    )


def _create_invitation(
    *, organisation: Organisation, by: User | None, email: str, role: str
) -> tuple[Invitation, str]:
    email = email.strip().lower()
    errors: dict[str, str] = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = _("Enter a valid e-mail address.")
    else:
        if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
            errors["email"] = _("Someone with this e-mail address already has access.")
    if role not in Membership.Role.values:
        errors["role"] = _("Choose one of the roles offered.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    for earlier in open_invitations(organisation).filter(email=email):
        earlier.withdrawn_at = now
        set_author(earlier, by)
        earlier.save(update_fields=["withdrawn_at"])
    key = secrets.token_urlsafe(32)
    invitation = Invitation(
        organisation=organisation,
        email=email,
        role=role,
        key_hash=_key_hash(key),
        invited_by=by,
        expires_at=now + INVITATION_LIFETIME,
    )
    set_author(invitation, by)
    invitation.save()
    return invitation, key


def invitation_for_key(key: str) -> Invitation | None:
    """The open invitation this link key belongs to, if any."""
    return (
        open_invitations(None)
        .select_related("organisation", "invited_by")
        .filter(key_hash=_key_hash(key))
        .first()
    )


INVITATION_UNUSABLE = _lazy(
    "This invitation link no longer works: it has expired, been used or been withdrawn. "
    "Ask the organisation's administrator for a new one."
)


def invited(user: User, invitation: Invitation) -> bool:
    """Whether the signed-in person is the one invited: their address is the invited one and
    they have shown it is theirs. A forwarded link gives nothing to whoever clicks it."""
    return user.email_verified and user.email.lower() == invitation.email.lower()


@transaction.atomic
def mark_email_verified(*, user: User) -> None:
    """The person came through a link sent to their address (a password reset)."""
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified"])


@transaction.atomic
def accept_invitation(
    *,
    key: str,
    by: User | None = None,
    username: str = "",
    password: str = "",
    first_name: str = "",
    last_name: str = "",
) -> Membership:
    """Take up an invitation, as a signed-in user or as a new one with these details.

    An existing member keeps a higher role than the one offered."""
    invitation = (
        Invitation.objects.select_for_update()
        .filter(key_hash=_key_hash(key), accepted_at=None, withdrawn_at=None)
        .filter(expires_at__gt=timezone.now())
        .first()
    )
    if invitation is None:
        raise ValidationError(str(INVITATION_UNUSABLE))
    user = by
    if user is not None and not invited(user, invitation):
        raise PermissionDenied(
            _(
                "This invitation is for %(email)s. Sign out, then accept it with the account "
                "of that address, or create one."
            )
            % {"email": invitation.email}
        )
    if user is None:
        user = _new_user(
            username=username,
            password=password,
            first_name=first_name,
            last_name=last_name,
            email=invitation.email,
        )
    membership = Membership.objects.filter(user=user, organisation=invitation.organisation).first()
    if membership is None:
        membership = Membership(user=user, organisation=invitation.organisation)
    if membership.pk is None or ROLE_ORDER.index(invitation.role) > ROLE_ORDER.index(
        membership.role
    ):
        membership.role = invitation.role
        set_author(membership, user)
        membership.save()
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    set_author(invitation, user)
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


ROLE_ORDER: list[str] = [
    Membership.Role.VIEWER,
    Membership.Role.EDITOR,
    Membership.Role.MANAGER,
    Membership.Role.ADMIN,
]


def _new_user(*, username: str, password: str, first_name: str, last_name: str, email: str) -> User:
    username = username.strip()
    refuse_nul_and_oversize(username=username, first_name=first_name, last_name=last_name)
    errors: dict[str, list[str]] = {}
    if not username:
        errors["username"] = [_("Choose a username.")]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("This username is taken; choose another.")]
    else:
        try:
            UnicodeUsernameValidator()(username)
        except ValidationError as error:
            errors["username"] = list(error.messages)
    user = User(
        username=username,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email,
        email_verified=True,  # they came through the link sent to this address
    )
    try:
        validate_password(password, user)
    except ValidationError as error:
        errors["password"] = list(error.messages)
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.save()
    return user


def _keep_an_administrator(membership: Membership) -> None:
    """Refuse to leave the membership's organisation without an administrator."""
    admins = list(
        Membership.objects.select_for_update()
        .filter(organisation_id=membership.organisation_id, role=Membership.Role.ADMIN)
        .exclude(pk=membership.pk)
        .values_list("pk", flat=True)
    )
    if membership.role == Membership.Role.ADMIN and not admins:
        raise ValidationError(
            _("%(organisation)s must keep at least one administrator.")
            % {"organisation": membership.organisation.name}
        )


@transaction.atomic
def change_role(*, membership: Membership, by: User, role: str) -> Membership:
    require_admin(by, membership.organisation)
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Choose one of the roles offered.")})
    if role != Membership.Role.ADMIN:
        _keep_an_administrator(membership)
    membership.role = role
    set_author(membership, by)
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def remove_member(*, membership: Membership, by: User) -> None:
    """Take away someone's access to an organisation; their past work keeps their name."""
    require_admin(by, membership.organisation)
    _keep_an_administrator(membership)
    set_author(membership, by)
    membership.delete()


@transaction.atomic
def withdraw_invitation(*, invitation: Invitation, by: User) -> Invitation:
    require_admin(by, invitation.organisation)
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has been accepted already."))
    if invitation.withdrawn_at is None:
        invitation.withdrawn_at = timezone.now()
        set_author(invitation, by)
        invitation.save(update_fields=["withdrawn_at"])
    return invitation


@transaction.atomic
def update_profile(
    *,
    by: User,
    first_name: str,
    last_name: str,
    email: str,
    preferred_language: str,
    receives_reminders: bool = True,
) -> User:
    """The person signed in (`by`) changes their own name, address, language and reminders."""
    refuse_nul_and_oversize(first_name=first_name, last_name=last_name, email=email)
    email = email.strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
        if User.objects.exclude(pk=by.pk).filter(email__iexact=email).exists():
            raise ValidationError({"email": _("Another account uses this e-mail address.")})
    if preferred_language and preferred_language not in dict(settings.LANGUAGES):
        raise ValidationError({"preferred_language": _("Choose one of the languages offered.")})
    by.first_name = first_name.strip()[:150]
    by.last_name = last_name.strip()[:150]
    if email != by.email.lower():
        by.email_verified = False  # a new address has yet to be shown to be theirs
    by.email = email
    by.preferred_language = preferred_language
    by.receives_reminders = receives_reminders
    by.save(
        update_fields=[
            "first_name",
            "last_name",
            "email",
            "preferred_language",
            "receives_reminders",
            "email_verified",
        ]
    )
    return by
