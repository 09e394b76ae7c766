"""An organisation's own prompts for its period reports: every problem named at once, nothing
stored on error; a prompt taken out is retired, so the reports that answered it keep their
question."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.authorship import set_author
from partners.models import Organisation, User
from partners.selectors import managed_organisations
from reporting.models import ReportPrompt

MAX_PROMPT = 300


@dataclass(frozen=True)
class PromptInput:
    texts: Mapping[str, str]  # language → the question in it
    key: str = ""  # empty for a new prompt
    retired: bool = False


def _next_keys(organisation: Organisation, count: int) -> list[str]:
    taken = set(
        ReportPrompt.objects.filter(organisation=organisation).values_list("key", flat=True)
    )
    keys: list[str] = []
    number = 1
    while len(keys) < count:
        key = f"q{number}"
        if key not in taken:
            keys.append(key)
            taken.add(key)
        number += 1
    return keys


@transaction.atomic
def save_prompts(
    *, organisation: Organisation, by: User, prompts: Sequence[PromptInput]
) -> list[ReportPrompt]:
    """Set the organisation's prompts, in this order. Without an active one, its reports answer
    the portal's four."""
    if not managed_organisations(by).filter(pk=organisation.pk).exists():
        raise PermissionDenied(
            _("Only an administrator or a manager of %(organisation)s may set its prompts.")
            % {"organisation": organisation.name}
        )
    existing = {
        prompt.key: prompt
        for prompt in ReportPrompt.objects.select_for_update().filter(organisation=organisation)
    }
    languages = [code for code, _name in settings.LANGUAGES]
    problems = []
    for number, given in enumerate(prompts, start=1):
        texts = {lang: (given.texts.get(lang) or "").strip() for lang in languages}
        if given.key and given.key not in existing:
            problems.append(_("Prompt %(number)s is not one of yours.") % {"number": number})
        if not given.retired and not any(texts.values()):
            problems.append(
                _("Prompt %(number)s: write the question in at least one language.")
                % {"number": number}
            )
        if any("\x00" in text for text in texts.values()):
            problems.append(
                _("Prompt %(number)s holds a NUL character, which cannot be stored.")
                % {"number": number}
            )
        if any(len(text) > MAX_PROMPT for text in texts.values()):
            problems.append(
                _("Prompt %(number)s: a question has at most 300 characters.") % {"number": number}
            )
    if problems:
        raise ValidationError(problems)
    new_keys = iter(_next_keys(organisation, sum(1 for given in prompts if not given.key)))
    saved = []
    for order, given in enumerate(prompts):
        texts = {lang: (given.texts.get(lang) or "").strip() for lang in languages}
        written = [lang for lang in languages if texts[lang]]
        prompt = existing.get(given.key) or ReportPrompt(
            organisation=organisation, key=next(new_keys)
        )
        if written:
            # Written first in English when it is given, else in the first language given.
            first = "en" if "en" in written else written[0]
            prompt.text, prompt.language = texts[first], first
            prompt.translations = {lang: {"text": texts[lang]} for lang in written if lang != first}
        prompt.order = order
        if given.retired and prompt.retired_at is None:
            prompt.retired_at = timezone.now()
        elif not given.retired:
            prompt.retired_at = None
        if not prompt.text:  # a new prompt retired at once: nothing to keep
            continue
        set_author(prompt, by)
        prompt.save()
        saved.append(prompt)
    return saved
