"""Where an organisation's administrators register webhooks and read their delivery log."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from partners.selectors import administered_organisation
from portfolio.forms import attach
from portfolio.http import signed_in

from . import services
from .models import Delivery, Webhook


class WebhookForm(forms.Form):
    url = forms.URLField(label=gettext_lazy("Address"), max_length=500, assume_scheme="https")


@login_required
@never_cache  # the page shows a new secret once: no browser or proxy may keep a copy
def webhooks(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = administered_organisation(signed_in(request), pk)
    form = WebhookForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _webhook, new_secret = services.add_webhook(
                organisation=organisation, by=signed_in(request), url=form.cleaned_data["url"]
            )
        except ValidationError as error:
            attach(form, error)
        else:
            form = WebhookForm()
    hooks = list(Webhook.objects.filter(organisation=organisation))
    recent = list(
        Delivery.objects.filter(webhook__organisation=organisation).order_by("-created_at", "-id")[
            :50
        ]
    )
    return render(
        request,
        "webhooks/list.html",
        {
            "organisation": organisation,
            "webhooks": hooks,
            "deliveries": recent,
            "form": form,
            "new_secret": new_secret,
        },
        status=400 if request.method == "POST" and new_secret is None else 200,
    )


def _webhook(request: HttpRequest, pk: int, webhook_pk: int) -> Webhook:
    organisation = administered_organisation(signed_in(request), pk)
    return get_object_or_404(Webhook, pk=webhook_pk, organisation=organisation)


@login_required
@require_POST
def test_event(request: HttpRequest, pk: int, webhook_pk: int) -> HttpResponse:
    webhook = _webhook(request, pk, webhook_pk)
    try:
        services.send_test_event(webhook=webhook, by=signed_in(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("A test event is on its way to %(url)s.") % {"url": webhook.url}
        )
    return redirect("webhooks", pk=pk)


@login_required
@require_POST
def disable(request: HttpRequest, pk: int, webhook_pk: int) -> HttpResponse:
    webhook = _webhook(request, pk, webhook_pk)
    services.disable_webhook(webhook=webhook, by=signed_in(request))
    messages.success(request, _("The webhook to %(url)s is disabled.") % {"url": webhook.url})
    return redirect("webhooks", pk=pk)
