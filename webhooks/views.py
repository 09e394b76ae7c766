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

from core.forms import attach
from core.http import act
from partners.http import signed_in
from partners.models import Organisation
from partners.selectors import administered_organisation

from . import services
from .models import EVENTS, Delivery, Webhook


class ChoiceForm(forms.Form):
    events = forms.MultipleChoiceField(
        label=gettext_lazy("Events"),
        choices=list(EVENTS.items()),
        widget=forms.CheckboxSelectMultiple,
        initial=list(EVENTS),
        # Checked by the service, which says every problem at once.
        required=False,
    )
    payload_version = forms.TypedChoiceField(
        label=gettext_lazy("Payload version"),
        choices=Webhook.PayloadVersion.choices,
        coerce=int,
        initial=Webhook.PayloadVersion.STANDARD,
        help_text=gettext_lazy(
            "Version 2 writes figures as numbers. Version 1 is the first payload, with figures "
            "as texts and X-Portal-Signature, kept for receivers written for it."
        ),
    )


class WebhookForm(ChoiceForm):
    url = forms.URLField(label=gettext_lazy("Address"), max_length=500, assume_scheme="https")
    field_order = ["url", "events", "payload_version"]


@login_required
@never_cache  # the page shows a new secret once: no browser or proxy may keep a copy
def webhooks(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = administered_organisation(signed_in(request), pk)
    form = WebhookForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _webhook, new_secret = services.add_webhook(
                organisation=organisation,
                by=signed_in(request),
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
                payload_version=form.cleaned_data["payload_version"],
            )
        except ValidationError as error:
            attach(form, error)
        else:
            form = WebhookForm()
    return _page(request, organisation, form=form, new_secret=new_secret)


def _page(
    request: HttpRequest,
    organisation: Organisation,
    *,
    form: WebhookForm | None = None,
    new_secret: str | None = None,
    rotated: Webhook | None = None,
) -> HttpResponse:
    hooks = list(Webhook.objects.filter(organisation=organisation))
    for hook in hooks:
        hook.choice_form = ChoiceForm(  # type: ignore[attr-defined]
            initial={"events": hook.events, "payload_version": hook.payload_version},
            prefix=f"hook{hook.pk}",
        )
    recent = list(
        Delivery.objects.filter(webhook__organisation=organisation)
        .select_related("webhook")
        .order_by("-created_at", "-id")[:50]
    )
    return render(
        request,
        "webhooks/list.html",
        {
            "organisation": organisation,
            "webhooks": hooks,
            "deliveries": recent,
            "form": form or WebhookForm(),
            "new_secret": new_secret,
            "rotated": rotated,
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
    act(
        request,
        lambda: services.send_test_event(webhook=webhook, by=signed_in(request)),
        _("A test event is on its way to %(url)s.") % {"url": webhook.url},
    )
    return redirect("webhooks", pk=pk)


@login_required
@require_POST
def change(request: HttpRequest, pk: int, webhook_pk: int) -> HttpResponse:
    webhook = _webhook(request, pk, webhook_pk)
    form = ChoiceForm(request.POST, prefix=f"hook{webhook.pk}")
    if form.is_valid():
        act(
            request,
            lambda: services.change_webhook(
                webhook=webhook,
                by=signed_in(request),
                events=form.cleaned_data["events"],
                payload_version=form.cleaned_data["payload_version"],
            ),
            _("The webhook to %(url)s is changed.") % {"url": webhook.url},
        )
    else:
        messages.error(request, _("Choose the events and a payload version."))
    return redirect("webhooks", pk=pk)


@login_required
@never_cache  # the answer shows the new secret once
@require_POST
def rotate(request: HttpRequest, pk: int, webhook_pk: int) -> HttpResponse:
    webhook = _webhook(request, pk, webhook_pk)
    secret = services.rotate_secret(webhook=webhook, by=signed_in(request))
    return _page(request, webhook.organisation, new_secret=secret, rotated=webhook)


@login_required
@require_POST
def redeliver(request: HttpRequest, pk: int, delivery_pk: int) -> HttpResponse:
    organisation = administered_organisation(signed_in(request), pk)
    delivery = get_object_or_404(Delivery, pk=delivery_pk, webhook__organisation=organisation)
    act(
        request,
        lambda: services.redeliver(delivery=delivery, by=signed_in(request)),
        _("The event is sent again."),
    )
    return redirect("webhooks", pk=pk)


@login_required
@require_POST
def disable(request: HttpRequest, pk: int, webhook_pk: int) -> HttpResponse:
    webhook = _webhook(request, pk, webhook_pk)
    services.disable_webhook(webhook=webhook, by=signed_in(request))
    messages.success(request, _("The webhook to %(url)s is disabled.") % {"url": webhook.url})
    return redirect("webhooks", pk=pk)
