"""The results framework: objectives → outcomes → outputs, numbered by their place in the tree."""

import uuid
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.authorship import set_author
from core.checks import refuse_nul_and_oversize
from core.translations import clean_translations
from partners.models import User
from projects.models import Project, Result

from .setup import require_setup

PARENT_LEVELS: dict[str, tuple[str, ...]] = {
    Result.Level.OBJECTIVE: (),
    Result.Level.OUTCOME: (Result.Level.OBJECTIVE,),
    Result.Level.OUTPUT: (Result.Level.OUTCOME, Result.Level.OBJECTIVE),
}


@transaction.atomic
def add_result(
    *,
    project: Project,
    by: User,
    level: str,
    title: str,
    parent: Result | None = None,
    description: str = "",
    translations: Mapping[str, Mapping[str, str]] | None = None,
) -> Result:
    """Add a result at the end of its parent's (or the project's) list; numbers follow."""
    require_setup(by, project)
    _check_result(project, level, title, parent, description)
    cleaned = clean_translations(Result, translations)
    siblings = project.results.filter(parent=parent)
    result = Result(
        project=project,
        parent=parent,
        level=level,
        title=title.strip(),
        description=description,
        number=f"new-{uuid.uuid4().hex[:10]}",
        order=(max((r.order for r in siblings), default=0) + 1),
        translations=cleaned,
    )
    set_author(result, by)
    result.save()
    renumber_results(project, by)
    result.refresh_from_db()
    return result


def _check_result(
    project: Project, level: str, title: str, parent: Result | None, description: str
) -> None:
    refuse_nul_and_oversize(title=title, description=description)
    errors: dict[str, str] = {}
    if level not in Result.Level.values:
        errors["level"] = _("Choose one of the levels offered.")
    if not title.strip():
        errors["title"] = _("Give the result a title.")
    elif len(title) > 500:
        errors["title"] = _("A title has at most 500 characters.")
    if parent is not None and parent.project_id != project.pk:
        errors["parent"] = _("A result can only contribute to its own project.")
    elif level in PARENT_LEVELS and (problem := level_problem(level, parent)):
        errors["parent"] = problem
    if errors:
        raise ValidationError(errors)


def level_problem(level: str, parent: Result | None) -> str | None:
    """Why a result of this level cannot sit under `parent`, if it cannot."""
    if parent is None or parent.level in PARENT_LEVELS[level]:
        return None
    return _("A result at level “%(level)s” cannot contribute to one at level “%(parent)s”.") % {
        "level": Result.Level(level).label,
        "parent": parent.get_level_display(),
    }


@transaction.atomic
def edit_result(
    *,
    result: Result,
    by: User,
    title: str,
    description: str = "",
    translations: Mapping[str, Mapping[str, str]] | None = None,
) -> Result:
    require_setup(by, result.project)
    _check_result(result.project, result.level, title, result.parent, description)
    result.title = title.strip()
    result.description = description
    if translations is not None:
        result.translations = clean_translations(Result, translations)
    set_author(result, by)
    result.save(update_fields=["title", "description", "translations"])
    return result


@transaction.atomic
def move_result(*, result: Result, by: User, up: bool) -> Result:
    """Swap a result with its neighbour among its siblings; it and their children renumber."""
    require_setup(by, result.project)
    siblings = list(result.project.results.filter(parent_id=result.parent_id).order_by("order"))
    index = siblings.index(result)
    other = index - 1 if up else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for order, sibling in enumerate(siblings, start=1):
            if sibling.order != order:
                sibling.order = order
                set_author(sibling, by)
                sibling.save(update_fields=["order"])
        renumber_results(result.project, by)
    result.refresh_from_db()
    return result


@transaction.atomic
def remove_result(*, result: Result, by: User) -> None:
    require_setup(by, result.project)
    if result.children.exists():
        raise ValidationError(_("Remove or move the results under it first."))
    if result.indicators.exists():
        raise ValidationError(_("Indicators measure this result: move or remove them first."))
    set_author(result, by)
    result.delete()
    renumber_results(result.project, by)


def renumber_results(project: Project, by: User | None) -> None:
    """Number the framework by its tree (1, 1.1, 1.1.1, 2…) and order it depth first, so that
    lists ordered by `order` read as the tree."""
    results = list(project.results.order_by("order", "number"))
    children: dict[int | None, list[Result]] = {}
    for result in results:
        children.setdefault(result.parent_id, []).append(result)
    wanted: dict[int, tuple[str, int]] = {}
    counter = 0

    def walk(parent_id: int | None, prefix: str) -> None:
        nonlocal counter
        for position, result in enumerate(children.get(parent_id, []), start=1):
            counter += 1
            number = f"{prefix}{position}"
            wanted[result.pk] = (number, counter)
            walk(result.pk, f"{number}.")

    walk(None, "")
    changed = [r for r in results if (r.number, r.order) != wanted.get(r.pk, (r.number, r.order))]
    # Numbers are unique per project: step aside first, then take the new numbers.
    for result in changed:
        result.number = f"~{result.pk}"
        result.save(update_fields=["number"])
    for result in changed:
        result.number, result.order = wanted[result.pk]
        set_author(result, by)
        result.save(update_fields=["number", "order"])
