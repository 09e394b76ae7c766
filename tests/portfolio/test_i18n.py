"""The Spanish catalogue is complete and compiled."""

import gettext
import re
from pathlib import Path

from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES"


def entries() -> list[tuple[str, list[str]]]:
    """(msgid, [msgstr…]) for every entry of the Spanish .po file, header excluded."""
    found = []
    for block in (CATALOGUE / "django.po").read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        current = None
        for line in block.splitlines():
            keyword = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if keyword:
                current = keyword.group(1)
                fields[current] = keyword.group(2)
            elif current and line.startswith('"'):
                fields[current] += line[1:-1]
        if fields.get("msgid"):
            found.append(
                (fields["msgid"], [v for k, v in sorted(fields.items()) if k.startswith("msgstr")])
            )
    return found


def test_no_translation_is_left_fuzzy():
    # msgfmt leaves fuzzy entries out of the compiled catalogue: they would show in English.
    source = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in source.split("\n\n", 1)[1]


def test_every_string_has_a_spanish_translation():
    untranslated = [msgid for msgid, translations in entries() if not all(translations)]
    assert untranslated == []


def test_compiled_catalogue_holds_every_translation_of_the_source():
    with (CATALOGUE / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    singular = [(msgid, tr[0]) for msgid, tr in entries() if len(tr) == 1]
    assert len(singular) > 200
    stale = [
        msgid
        for msgid, expected in singular
        if catalogue.gettext(msgid) != expected.replace('\\"', '"')
    ]
    assert stale == [], "run `make messages` to recompile the catalogue"
