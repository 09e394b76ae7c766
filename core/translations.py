"""Content written in one language, with translations of some of its fields into others.

A project's title or an indicator's unit is stored as its authors wrote it; `translations` holds
the same fields in other interface languages, {"es": {"title": "…"}, "fr": {…}}. A reader sees
the field in their language where a translation exists and the original otherwise. The
translations live on the row itself, so showing them costs no query.
"""

from collections.abc import Mapping
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

Translations = dict[str, dict[str, str]]


def interface_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def reader_language(language: str | None = None) -> str:
    """The interface language a reader asked for, without a region: es-PE reads es."""
    code = (language or get_language() or settings.LANGUAGE_CODE).lower().split("-")[0]
    return code if code in interface_languages() else settings.LANGUAGE_CODE


def pick(original: str, translations: Mapping[str, Any] | None, language: str | None = None) -> str:
    """The reader's translation of one text, given as {language: text}, or the original."""
    text = (translations or {}).get(reader_language(language))
    return text if isinstance(text, str) and text else original


class Translated(models.Model):
    """A model whose `translated_fields` may be given in every interface language."""

    translated_fields: ClassVar[tuple[str, ...]] = ()

    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        help_text=_("The texts in other languages, by language code."),
    )

    class Meta:
        abstract = True

    def translated(self, field: str, language: str | None = None) -> str:
        """The field in the reader's language, or as written when it has no translation."""
        return pick(getattr(self, field), self.translations_of(field), language)

    def translations_of(self, field: str) -> dict[str, str]:
        """{language: text} of one field, the languages it has been translated into."""
        return {
            language: texts[field]
            for language, texts in (self.translations or {}).items()
            if isinstance(texts, dict) and texts.get(field)
        }


def clean_translations(
    model: type[Translated], translations: Mapping[str, Mapping[str, str]] | None
) -> Translations:
    """Translations checked for storing: known languages, translatable fields, plain text that
    fits the field. Empty texts are dropped. Raises ValidationError naming what is wrong."""

    def refuse(message: Any) -> ValidationError:
        return ValidationError({"translations": message})

    cleaned: Translations = {}
    for language, texts in (translations or {}).items():
        if language not in interface_languages():
            raise refuse(
                _("%(language)s is not a language of the portal.") % {"language": language}
            )
        if not isinstance(texts, Mapping):
            raise refuse(_("Give each language's texts by field."))
        for field, text in texts.items():
            if field not in model.translated_fields:
                raise refuse(_("%(field)s cannot be translated.") % {"field": field})
            if not isinstance(text, str):
                raise refuse(_("A translation is a text."))
            text = text.strip()
            if "\x00" in text:
                raise refuse(_("The text contains a NUL character, which cannot be stored."))
            limit = getattr(model._meta.get_field(field), "max_length", None)
            if limit is not None and len(text) > limit:
                raise refuse(_("The text is longer than %(limit)s characters.") % {"limit": limit})
            if text:
                cleaned.setdefault(language, {})[field] = text
    return cleaned


def category_name(row: Mapping[str, Any]) -> str:
    """The category of a snapshot's category row, named in the reader's language."""
    return pick(row["category_name"], row.get("category_names"))


def dimension_name(row: Mapping[str, Any]) -> str:
    """The dimension of a snapshot's category row, named in the reader's language."""
    return pick(row["dimension_name"], row.get("dimension_names"))
