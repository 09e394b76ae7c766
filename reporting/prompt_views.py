"""An organisation's prompts for its period reports, set by its administrators and managers:
the questions in the portal's three languages, new ones added, old ones retired."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from partners.http import signed_in
from partners.selectors import managed_organisation

from . import services
from .forms import PromptFormSet, prompt_initial
from .prompts import PROMPTS
from .selectors import prompts_for_editing


@login_required
def prompts_page(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = managed_organisation(signed_in(request), pk)
    formset = PromptFormSet(
        request.POST or None,
        initial=[prompt_initial(prompt) for prompt in prompts_for_editing(organisation)],
        prefix="prompts",
    )
    problems: list[str] = []
    if request.method == "POST" and formset.is_valid():
        given = [
            services.PromptInput(
                key=form.cleaned_data.get("key") or "",
                texts={
                    lang: form.cleaned_data.get(f"text_{lang}") or "" for lang in ("en", "es", "fr")
                },
                retired=bool(form.cleaned_data.get("retired")),
            )
            for form in formset.forms
            if not form.is_blank()
        ]
        try:
            services.save_prompts(organisation=organisation, by=signed_in(request), prompts=given)
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(request, _("The prompts are saved."))
            return redirect("reporting:prompts", pk=organisation.pk)
    return render(
        request,
        "reporting/prompts.html",
        {
            "organisation": organisation,
            "formset": formset,
            "problems": problems,
            "defaults": [str(prompt) for prompt in PROMPTS.values()],
        },
        status=400 if request.method == "POST" else 200,
    )
