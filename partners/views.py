"""Accounts and organisations: signing in, one's profile, and administering an organisation's
details and people."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, PasswordResetConfirmView
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.forms import attach, check_anyway, given_or_blank, save_with
from core.http import act

from . import services
from .emails import send_invitation
from .forms import AcceptForm, InviteForm, OrganisationForm, ProfileForm, RoleForm
from .http import signed_in
from .models import Invitation, Membership, Organisation, User
from .selectors import (
    administered_organisation,
    administered_organisations,
    open_invitations,
    people_of,
)


def _speak(response: HttpResponseBase, language: str) -> None:
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
        )


class SignInView(LoginView):
    """Django's sign-in, answering in the user's preferred language from then on."""

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        _speak(response, form.get_user().preferred_language)
        return response


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    form = ProfileForm(
        request.POST or None,
        initial={
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "preferred_language": user.preferred_language,
            "receives_reminders": user.receives_reminders,
        },
    )

    def save(data: dict[str, Any]) -> User:
        return services.update_profile(by=user, **data)

    if request.method == "POST" and save_with(form, save) is not None:
        if user.preferred_language:
            translation.activate(user.preferred_language)
        messages.success(request, _("Your profile is saved."))
        response = redirect("profile")
        _speak(response, user.preferred_language)
        return response
    memberships = Membership.objects.filter(user=user).select_related("organisation")
    return render(request, "partners/profile.html", {"form": form, "memberships": memberships})


@login_required
def organisations(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "partners/organisations.html",
        {"organisations": administered_organisations(signed_in(request)).order_by("name")},
    )


def _send_invitation(request: HttpRequest, invitation: Invitation, key: str) -> None:
    link = request.build_absolute_uri(reverse("accept-invitation", args=[key]))
    transaction.on_commit(lambda: send_invitation(invitation, link))


@login_required
@never_cache
def organisation_page(request: HttpRequest, pk: int) -> HttpResponse:
    """An organisation's details, people and open invitations, for its administrators."""
    user = signed_in(request)
    organisation = administered_organisation(user, pk)
    action = request.POST.get("action") if request.method == "POST" else None
    details = OrganisationForm(
        request.POST if action == "details" else None,
        organisation=organisation,
        initial={
            "name": organisation.name,
            "short_name": organisation.short_name,
            "kind": organisation.kind,
            "parent": organisation.parent_id,
            "oversees_members": organisation.oversees_members,
            "requires_two_factor": organisation.requires_two_factor,
            "iati_identifier": organisation.iati_identifier,
            "iati_type": organisation.iati_type,
        },
    )
    invite = InviteForm(request.POST if action == "invite" else None)
    if action == "details" and (
        save_with(
            details,
            lambda data: services.update_organisation(organisation=organisation, by=user, **data),
        )
        is not None
    ):
        messages.success(request, _("The organisation's details are saved."))
        return redirect("organisation", pk=organisation.pk)
    if action == "invite" and (
        sent := save_with(
            invite, lambda data: services.invite(organisation=organisation, by=user, **data)
        )
    ):
        invitation, key = sent
        _send_invitation(request, invitation, key)
        messages.success(
            request,
            _("An invitation is on its way to %(email)s.") % {"email": invitation.email},
        )
        return redirect("organisation", pk=organisation.pk)
    organisation.refresh_from_db()
    people = list(people_of(organisation))
    return render(
        request,
        "partners/organisation.html",
        {
            "organisation": organisation,
            "details": details,
            "invite": invite,
            "people": [
                (membership, RoleForm(initial={"role": membership.role}, prefix=str(membership.pk)))
                for membership in people
            ],
            "invitations": open_invitations(organisation).select_related("invited_by"),
        },
        status=400 if request.method == "POST" else 200,
    )


def _membership(
    request: HttpRequest, pk: int, membership_pk: int
) -> tuple[Organisation, Membership]:
    """A membership of an organisation the user administers; 404 for anyone else's."""
    organisation = administered_organisation(signed_in(request), pk)
    membership = get_object_or_404(
        Membership.objects.select_related("user", "organisation"),
        pk=membership_pk,
        organisation=organisation,
    )
    return organisation, membership


@login_required
@require_POST
def change_role(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    organisation, membership = _membership(request, pk, membership_pk)
    form = RoleForm(request.POST, prefix=str(membership.pk))
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles offered."))
        return redirect("organisation", pk=organisation.pk)
    act(
        request,
        lambda: services.change_role(
            membership=membership, by=signed_in(request), role=form.cleaned_data["role"]
        ),
        lambda: (
            _("%(person)s is now %(role)s.")
            % {"person": membership.user, "role": membership.get_role_display().lower()}
        ),
    )
    return redirect("organisation", pk=organisation.pk)


@login_required
@require_POST
def remove_member(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    organisation, membership = _membership(request, pk, membership_pk)
    act(
        request,
        lambda: services.remove_member(membership=membership, by=signed_in(request)),
        _("%(person)s no longer has access.") % {"person": membership.user},
    )
    return redirect("organisation", pk=organisation.pk)


@login_required
@require_POST
def withdraw_invitation(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    organisation = administered_organisation(signed_in(request), pk)
    invitation = get_object_or_404(Invitation, pk=invitation_pk, organisation=organisation)
    act(
        request,
        lambda: services.withdraw_invitation(invitation=invitation, by=signed_in(request)),
        _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email},
    )
    return redirect("organisation", pk=organisation.pk)


class ResetPasswordView(PasswordResetConfirmView):
    """Setting a new password through the link mailed to the address also shows that the
    address is the person's."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.mark_email_verified(user=form.user)
        return response


@never_cache
def accept_invitation(request: HttpRequest, key: str) -> HttpResponse:
    """Where an invitation's link leads: a signed-in person accepts; anyone else creates their
    account here, with a password of their own."""
    invitation = services.invitation_for_key(key)
    if invitation is None:
        return render(
            request,
            "partners/invitation_unusable.html",
            {"message": services.INVITATION_UNUSABLE},
            status=404,
        )
    member = request.user.is_authenticated
    is_invited = member and services.invited(signed_in(request), invitation)
    form = AcceptForm(request.POST or None) if not member else None
    if request.method == "POST":
        try:
            if member:
                services.accept_invitation(key=key, by=signed_in(request))
            elif form is not None and form.is_valid():
                data = form.cleaned_data
                membership = services.accept_invitation(
                    key=key,
                    username=data["username"],
                    password=data["password"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                )
                login(
                    request,
                    membership.user,
                    backend="django.contrib.auth.backends.ModelBackend",
                )
            elif form is not None:
                given = given_or_blank(form)
                check_anyway(
                    form,
                    lambda: services.accept_invitation(
                        key=key,
                        username=given["username"],
                        password=given["password"] or given["password_again"],
                        first_name=given["first_name"],
                        last_name=given["last_name"],
                    ),
                    writes=True,
                )
                raise ValidationError([])
            else:
                raise ValidationError([])
        except ValidationError as error:
            if form is not None:
                attach(form, error)
            else:
                messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Welcome: you now work with %(organisation)s.")
                % {"organisation": invitation.organisation.name},
            )
            return redirect("portfolio-home")
    return render(
        request,
        "partners/accept_invitation.html",
        {"invitation": invitation, "form": form, "is_invited": is_invited},
        status=400 if request.method == "POST" else 200,
    )
