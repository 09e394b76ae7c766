"""Two-factor sign-in pages: turning it on (with a QR code), recovery codes, turning it off,
and the code asked for after the password."""

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from core.forms import attach
from core.http import safe_next

from . import two_factor
from .http import signed_in


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        help_text=gettext_lazy("The 6 digits your authenticator app shows, or a recovery code."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class AppCodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from the app"),
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


@login_required
@never_cache
def settings_page(request: HttpRequest) -> HttpResponse:
    """Turn two-factor sign-in on or off, and renew the recovery codes."""
    user = signed_in(request)
    action = request.POST.get("action") if request.method == "POST" else None
    confirm = AppCodeForm(request.POST if action == "confirm" else None, prefix="confirm")
    off = CodeForm(request.POST if action == "off" else None, prefix="off")
    codes: list[str] = []
    status = 200
    try:
        if action == "start":
            two_factor.start_setup(by=user)
            return redirect("two-factor")
        if action == "confirm" and confirm.is_valid():
            codes = two_factor.confirm_setup(
                by=user, request=request, code=confirm.cleaned_data["code"]
            )
            messages.success(request, _("Two-factor sign-in is on."))
        elif action == "codes":
            codes = two_factor.new_recovery_codes(by=user)
        elif action == "off" and off.is_valid():
            two_factor.turn_off(by=user, request=request, code=off.cleaned_data["code"])
            messages.success(request, _("Two-factor sign-in is off."))
            return redirect("two-factor")
    except ValidationError as error:
        attach(confirm if action == "confirm" else off, error)
    if action in ("confirm", "off") and not codes:
        status = 400
    setup = None if two_factor.has_two_factor(user) else two_factor.pending_setup(by=user)
    return render(
        request,
        "partners/two_factor.html",
        {
            "on": two_factor.has_two_factor(user),
            "required": two_factor.must_set_up(user),
            "setup": setup,
            # Markup drawn by segno from the key's address: paths only, no text of anyone's.
            "qr": mark_safe(segno.make(setup.url).svg_inline(scale=4)) if setup else "",  # noqa: S308
            "confirm": confirm,
            "off": off,
            "codes": codes,
            "codes_left": two_factor.recovery_codes_left(user),
            "next": safe_next(request),
        },
        status=status,
    )


@login_required
@never_cache
def code_page(request: HttpRequest) -> HttpResponse:
    """The second step of signing in, for those who have two-factor sign-in."""
    user = signed_in(request)
    target = safe_next(request) or "/"
    if user.is_verified() or not two_factor.has_two_factor(user):  # type: ignore[attr-defined]
        return redirect(target)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            two_factor.verify(user=user, request=request, code=form.cleaned_data["code"])
        except ValidationError as error:
            attach(form, error)
        else:
            return redirect(target)
    return render(
        request,
        "registration/login_code.html",
        {"form": form, "next": safe_next(request)},
        status=400 if request.method == "POST" else 200,
    )
