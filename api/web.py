"""Pages where an organisation's administrators manage its API tokens."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.forms import save_with
from partners.http import signed_in

from . import services
from .models import ApiToken
from .selectors import administered_organisation, administered_organisations, tokens_of


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    scope = forms.ChoiceField(label=gettext_lazy("Scope"), choices=ApiToken.Scope.choices)
    can_approve = forms.BooleanField(
        label=gettext_lazy("May approve updates (write tokens only)"), required=False
    )


@login_required
def organisations(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "api/organisations.html",
        {"organisations": administered_organisations(signed_in(request)).order_by("name")},
    )


@login_required
@never_cache  # the page shows a new key once: no browser or proxy may keep a copy
def tokens(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = administered_organisation(signed_in(request), pk)
    form = TokenForm(request.POST or None)
    new_key = None

    def create(data: dict[str, Any]) -> tuple[object, str]:
        return services.create_token(
            organisation=organisation,
            name=data["name"],
            scope=data["scope"] or "",
            can_approve=bool(data["can_approve"]),
            by=signed_in(request),
        )

    if request.method == "POST" and (created := save_with(form, create)) is not None:
        _token, new_key = created
        form = TokenForm()
    return render(
        request,
        "api/tokens.html",
        {
            "organisation": organisation,
            "tokens": tokens_of(organisation),
            "form": form,
            "new_key": new_key,
        },
    )


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int, token_pk: int) -> HttpResponse:
    organisation = administered_organisation(signed_in(request), pk)
    token = get_object_or_404(ApiToken, pk=token_pk, organisation=organisation)
    services.revoke_token(token=token, by=signed_in(request))
    messages.success(request, _("Token %(name)s revoked.") % {"name": token.name})
    return redirect("api-tokens", pk=organisation.pk)
