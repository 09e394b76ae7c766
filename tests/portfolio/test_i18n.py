"""The Spanish and French catalogues are complete and compiled."""

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def catalogue(language: str) -> Path:
    return Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES"


def entries(language: str) -> list[tuple[str, list[str]]]:
    """(msgid, [msgstr…]) for every entry of the language's .po file, header excluded."""
    return entries_of(catalogue(language) / "django.po")


def entries_of(path: Path) -> list[tuple[str, list[str]]]:
    found = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
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


def test_every_interface_language_but_english_has_a_catalogue():
    assert LANGUAGES == ["es", "fr"]
    for language in LANGUAGES:
        assert (catalogue(language) / "django.po").exists()


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_translation_is_left_fuzzy(language):
    # msgfmt leaves fuzzy entries out of the compiled catalogue: they would show in English.
    source = (catalogue(language) / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in source.split("\n\n", 1)[1]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_has_a_translation(language):
    untranslated = [msgid for msgid, translations in entries(language) if not all(translations)]
    assert untranslated == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_holds_every_translation_of_the_source(language):
    with (catalogue(language) / "django.mo").open("rb") as compiled:
        translations = gettext.GNUTranslations(compiled)
    singular = [(msgid, tr[0]) for msgid, tr in entries(language) if len(tr) == 1]
    assert len(singular) > 200
    stale = [
        msgid
        for msgid, expected in singular
        if translations.gettext(msgid) != expected.replace('\\"', '"')
    ]
    assert stale == [], "run `make messages` to recompile the catalogue"


def test_every_string_of_the_source_is_in_the_catalogues(tmp_path):
    """A string added to the code or the templates without running `make messages` fails here,
    before it would show in English on a Spanish or French page."""
    base = Path(settings.BASE_DIR)
    copy = tmp_path / "source"
    shutil.copytree(
        base,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "node_modules", "staticfiles", "media", "*.sqlite3", "__pycache__"
        ),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--no-obsolete", "--ignore", ".venv/*"]
        + [argument for language in LANGUAGES for argument in ("--locale", language)],
        cwd=copy,
        check=True,
        capture_output=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portfolio.settings.test"},
    )
    for language in LANGUAGES:
        committed = {msgid for msgid, _translations in entries(language)}
        extracted = {
            msgid
            for msgid, _translations in entries_of(
                copy / "locale" / language / "LC_MESSAGES" / "django.po"
            )
        }
        assert sorted(extracted - committed) == [], f"run `make messages` ({language})"
