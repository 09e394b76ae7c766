"""Creating, using and revoking API tokens."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.models import Membership, Organisation, User
from partners.services import set_membership

from .models import ApiToken

LAST_USED_RESOLUTION = timedelta(minutes=1)  # write last use at most once a minute per token


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def administers(user: User, organisation: Organisation) -> bool:
    return (
        user.is_superuser
        or Membership.objects.filter(
            user=user, organisation=organisation, role=Membership.Role.ADMIN
        ).exists()
    )


@transaction.atomic
def create_token(
    *,
    organisation: Organisation,
    name: str,
    scope: str,
    by: User,
    can_approve: bool = False,
) -> tuple[ApiToken, str]:
    """Create a token; return it with its key, which is shown this once and never again."""
    if not administers(by, organisation):
        raise PermissionDenied(_("Only an administrator of the organisation may create tokens."))
    name = name.strip()
    if not name or "\x00" in name or len(name) > 100:
        raise ValidationError({"name": _("Give the token a name of at most 100 characters.")})
    if scope not in ApiToken.Scope.values:
        raise ValidationError({"scope": _("Choose read or write.")})
    if can_approve and scope != ApiToken.Scope.WRITE:
        raise ValidationError({"can_approve": _("Only a write token may approve.")})
    prefix = secrets.token_hex(6)
    key = f"{prefix}.{secrets.token_urlsafe(32)}"
    principal = User.objects.create(
        username=f"api-{prefix}",
        first_name=_("API token"),
        last_name=f"«{name}» ({organisation.short_name})",
        is_api_client=True,
    )
    principal.set_unusable_password()
    principal.save(update_fields=["password"])
    role = (
        Membership.Role.MANAGER
        if can_approve
        else Membership.Role.EDITOR
        if scope == ApiToken.Scope.WRITE
        else Membership.Role.VIEWER
    )
    set_membership(user=principal, organisation=organisation, role=role)
    token = ApiToken.objects.create(
        organisation=organisation,
        name=name,
        scope=scope,
        can_approve=can_approve,
        prefix=prefix,
        key_hash=hash_key(key),
        user=principal,
        created_by=by,
    )
    return token, key


def authenticate(key: str) -> ApiToken | None:
    """The active token with this key, or None."""
    prefix, _dot, _secret = key.partition(".")
    token = (
        ApiToken.objects.select_related("user", "organisation")
        .filter(prefix=prefix, revoked_at__isnull=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.key_hash, hash_key(key)):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


@transaction.atomic
def revoke_token(*, token: ApiToken, by: User) -> ApiToken:
    if not administers(by, token.organisation):
        raise PermissionDenied(_("Only an administrator of the organisation may revoke tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        token.user.is_active = False
        token.user.save(update_fields=["is_active"])
    return token
