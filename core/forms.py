"""What every set-up form shares: service errors shown where they belong, date inputs, and
the fields of texts in other languages."""

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from .currencies import currency_choices, is_currency
from .numbers import as_written
from .translations import Translated
from .workbooks import MAX_UPLOAD_BYTES, too_large

T = TypeVar("T")


def attach(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal on the form: on the field it names when the form has it, at
    the top otherwise. A field that failed its own check keeps that message alone."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for field, messages in error.message_dict.items():
        target = field if field in form.fields else None
        if target is not None and target in form.errors:
            continue
        for message in messages:
            form.add_error(target, message)


def refusal_messages(error: ValidationError | PermissionDenied) -> list[str]:
    """What a service's refusal says, as messages to show the person who was refused."""
    return error.messages if isinstance(error, ValidationError) else [str(error)]


def given_or_blank(form: forms.Form) -> dict[str, Any]:
    """What a form that failed its own checks did read, with a blank (empty text, or None) for
    each field that failed: enough for a service to check the rest."""

    def empty(field: forms.Field) -> object:
        if isinstance(field, forms.ModelChoiceField):
            return None
        return "" if isinstance(field, forms.CharField | forms.ChoiceField) else None

    blank = {name: empty(field) for name, field in form.fields.items()}
    return {**blank, **form.cleaned_data}


class _Undo(Exception):
    """Ends a dry run, undoing whatever it stored."""


def check_anyway(form: forms.Form, check: Callable[[], object], *, writes: bool = False) -> None:
    """On a form whose own checks failed, show also what the service refuses in the fields
    that did parse, so that a person corrects everything in one round. A service that writes
    (`writes`) runs in a transaction that is always undone."""
    try:
        if writes:
            with transaction.atomic():
                check()
                raise _Undo
        check()
    except _Undo:
        pass
    except ValidationError as error:
        attach(form, error)


def save_with(form: forms.Form, save: Callable[[dict[str, Any]], T]) -> T | None:
    """Save a posted form through its service: what the service returned, or None with every
    problem on the form. Where the form's own checks fail, the service still checks what did
    parse (in a transaction that is undone), so that a person corrects everything in one round."""
    if not form.is_valid():
        check_anyway(form, lambda: save(given_or_blank(form)), writes=True)
        return None
    try:
        return save(form.cleaned_data)
    except ValidationError as error:
        attach(form, error)
        return None


class WrittenDecimalField(forms.DecimalField):
    """A decimal input that shows a stored figure as people write it (60, not 60.0000 or
    6E+1)."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal) and value.is_finite():
            return as_written(value)
        return value


class SpreadsheetField(forms.FileField):
    """An uploaded spreadsheet, refused before it is stored or read when it is too large."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and value.size > MAX_UPLOAD_BYTES:
            raise too_large()


class CurrencyField(forms.ChoiceField):
    """A currency chosen from the ISO 4217 list, the usual ones first, named in the reader's
    language. A stored code that is no ISO code is offered too, marked, so that a form never
    silently swaps it for another: the service then refuses it with a message."""

    def __init__(self, *, blank: bool = False, **kwargs: Any) -> None:
        self.blank = blank
        self.odd: str | None = None
        super().__init__(choices=(), **kwargs)

    def __deepcopy__(self, memo: dict[int, Any]) -> "CurrencyField":
        # Each form gets its copy of the field: name the currencies in the language of the
        # request it serves.
        field = super().__deepcopy__(memo)  # type: ignore[misc]
        field.choices = field._choices_now()
        return field

    def _choices_now(self) -> list[tuple[str, str]]:
        choices = [("", "—")] if self.blank else []
        if self.odd:
            choices.append((self.odd, _("%(code)s · not an ISO 4217 code") % {"code": self.odd}))
        return [*choices, *currency_choices()]

    def to_python(self, value: Any) -> str:
        return super().to_python(value).strip().upper()

    def keep(self, stored: str | None) -> None:
        """Offer the code the record holds, if it is not on the list."""
        if stored and not is_currency(stored):
            self.odd = stored
            self.choices = self._choices_now()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def date_field(label: Any, required: bool = True, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"],
        widget=DateInput(),
        **kwargs,
    )


def translation_languages(original: str | None = None) -> list[str]:
    """The interface languages a text written in `original` can be translated into (every
    interface language when the original's language is not known)."""
    return [code for code, _name in settings.LANGUAGES if code != original]


def add_translation_fields(
    form: forms.Form,
    model: type[Translated],
    *,
    languages: Sequence[str],
    content: Translated | None = None,
) -> None:
    """After each of the model's translatable fields, the same field in each of `languages`,
    optional, filled with the content's translations when it has some."""
    fields: dict[str, forms.Field] = {}
    for name, field in form.fields.items():
        fields[name] = field
        if name not in model.translated_fields:
            continue
        for language in languages:
            label = get_language_info(language)["name_local"]
            translation = forms.CharField(
                label=format_lazy("{} ({})", field.label, label),
                required=False,
                max_length=getattr(model._meta.get_field(name), "max_length", None),
                widget=forms.Textarea(attrs={"rows": 3, "lang": language})
                if isinstance(field.widget, forms.Textarea)
                else forms.TextInput(attrs={"lang": language}),
            )
            fields[f"{name}_{language}"] = translation
            if content is not None:
                form.initial.setdefault(
                    f"{name}_{language}", content.translations_of(name).get(language, "")
                )
    form.fields = fields


def translations_from(
    form: forms.Form, model: type[Translated], *, languages: Sequence[str]
) -> dict[str, dict[str, str]]:
    """{language: {field: text}} from the fields `add_translation_fields` added."""
    return {
        language: {
            name: form.cleaned_data.get(f"{name}_{language}") or ""
            for name in model.translated_fields
            if f"{name}_{language}" in form.fields
        }
        for language in languages
    }


class TranslatedForm(forms.Form):
    """A form for content of `translated_model`, with its translatable fields in the other
    interface languages as well."""

    translated_model: type[Translated]
    translate_into: list[str]

    def __init__(
        self,
        *args: Any,
        original: str | None = settings.LANGUAGE_CODE,
        content: Translated | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.translate_into = translation_languages(original)
        add_translation_fields(
            self, self.translated_model, languages=self.translate_into, content=content
        )

    def translations(self) -> dict[str, dict[str, str]]:
        return translations_from(self, self.translated_model, languages=self.translate_into)
