"""Two-factor sign-in: a code from an authenticator app (TOTP) after the password, or one of
ten recovery codes, each good once. Built on django-otp's devices: a TOTP device, confirmed
once the person has typed a code from it, and a static device holding the recovery codes.

Who must have it: the administrators of an organisation that requires it. Who is asked for a
code: anyone who has it, after their password, before any other page (partners.middleware)."""

import base64
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Membership, User

RECOVERY_CODES = 10
APP_CODE = re.compile(r"^\d{6}$")
DEVICE_NAME = "authenticator app"


# Rules


def _confirmed_app(user: User | OuterRef) -> QuerySet[TOTPDevice]:
    return TOTPDevice.objects.filter(user=user, confirmed=True)


def _required(user: User | OuterRef) -> QuerySet[Membership]:
    """Memberships that make two-factor sign-in required of the person."""
    return Membership.objects.filter(
        user=user,  # type: ignore[misc]  # the stubs know no OuterRef here
        role=Membership.Role.ADMIN,
        organisation__requires_two_factor=True,
    )


def has_two_factor(user: User) -> bool:
    return _confirmed_app(user).exists()


def must_set_up(user: User) -> bool:
    """An administrator of an organisation that requires two-factor sign-in, without it."""
    return next_step(user) == "setup"


def next_step(user: User) -> str:
    """What a session that has not given a second factor must do before anything else:
    "code" (the person has two-factor sign-in), "setup" (they must have it), or "" (nothing).
    One query, as it is asked on every request of such a session."""
    has, required = (
        User.objects.filter(pk=user.pk)
        .annotate(
            has=Exists(_confirmed_app(OuterRef("pk"))),
            required=Exists(_required(OuterRef("pk"))),
        )
        .values_list("has", "required")
        .get()
    )
    return "code" if has else "setup" if required else ""


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# Writes


@dataclass(frozen=True)
class Setup:
    device: TOTPDevice
    url: str  # otpauth://, for the QR code and for apps that take a link
    secret: str  # the same key, to type by hand


def start_setup(*, by: User) -> Setup:
    """A new, unconfirmed app key for the person (any earlier unconfirmed one is dropped)."""
    if has_two_factor(by):
        raise ValidationError(_("Two-factor sign-in is already on."))
    TOTPDevice.objects.filter(user=by, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=by, name=DEVICE_NAME, confirmed=False)
    return _setup(device)


def pending_setup(*, by: User) -> Setup | None:
    device = TOTPDevice.objects.filter(user=by, confirmed=False).order_by("-pk").first()
    return _setup(device) if device else None


def _setup(device: TOTPDevice) -> Setup:
    secret = base64.b32encode(device.bin_key).decode()
    return Setup(device=device, url=device.config_url, secret=secret)


@transaction.atomic
def confirm_setup(*, by: User, request: HttpRequest, code: str) -> list[str]:
    """Turn two-factor sign-in on with a first code from the app; return the recovery codes,
    shown this once. The session counts as verified from now on."""
    device = TOTPDevice.objects.select_for_update().filter(user=by, confirmed=False).last()
    if device is None:
        raise ValidationError(_("Start again: the key to add to your app has expired."))
    if not APP_CODE.match(code.strip()) or not device.verify_token(code.strip()):
        raise ValidationError({"code": _("This is not the code your app shows now.")})
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    return _new_recovery_codes(by)


@transaction.atomic
def new_recovery_codes(*, by: User) -> list[str]:
    """Ten new recovery codes; the old ones stop working."""
    if not has_two_factor(by):
        raise ValidationError(_("Turn two-factor sign-in on first."))
    return _new_recovery_codes(by)


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def verify(*, user: User, request: HttpRequest, code: str) -> None:
    """The second factor of this sign-in: a code from the app, or a recovery code (used up)."""
    code = code.strip().lower().replace(" ", "").replace("-", "")
    with transaction.atomic():
        if APP_CODE.match(code):
            devices = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True)
        else:
            devices = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True)
        for device in devices:
            allowed, _details = device.verify_is_allowed()
            if not allowed:
                raise ValidationError(
                    {"code": _("Too many wrong codes in a row: wait a little, then try again.")}
                )
            if device.verify_token(code):
                otp_login(request, device)
                return
    raise ValidationError({"code": _("This code is not right, or was used already.")})


def turn_off(*, by: User, request: HttpRequest, code: str) -> None:
    """Turn two-factor sign-in off, with a current code; refused where the person's
    organisation requires it of them."""
    if _required(by).exists():
        raise ValidationError(
            _("Your organisation requires two-factor sign-in of its administrators.")
        )
    verify(user=by, request=request, code=code)  # its own transaction: failures are counted
    remove_all(user=by)


def remove_all(*, user: User) -> None:
    """Every device of the person: for an operator helping someone who lost both their phone
    and their recovery codes (`manage.py reset_two_factor`), after checking who they are."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
