"""A library's managers edit it in its page: the indicators as a form, saved as the next
version with the spreadsheet's checks (every problem listed, nothing stored on error); the
version before stays for what links to it; viewers may not, outsiders do not see it."""

import pytest
from django.urls import reverse

from libraries.models import Library
from partners.models import Membership
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def posted(page, **changes) -> dict[str, object]:
    """The edit form as the page fills it, with `changes` ({field name: value}) applied."""
    formset = page.context["formset"]
    data = {
        f"entries-{key}": value
        for key, value in (
            ("TOTAL_FORMS", formset.total_form_count()),
            ("INITIAL_FORMS", formset.initial_form_count()),
            ("MIN_NUM_FORMS", 0),
            ("MAX_NUM_FORMS", 5000),
        )
    }
    for form in formset:
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if value in (None, False):
                continue
            data[form.add_prefix(name)] = value
    data.update(changes)
    return data


def test_a_manager_renames_removes_and_adds_indicators_as_a_new_version(client, network_results):
    library, _viewer = network_results
    manager = MembershipFactory(organisation=library.organisation, role=Membership.Role.MANAGER)
    client.force_login(manager.user)
    url = reverse("library-edit", args=[library.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["formset"].forms[0].initial["disaggregations"] == ["sex"]
    data = posted(
        page,
        **{
            "entries-0-name_es": "Mujeres lideresas capacitadas",
            "entries-1-code": "NET-2",
            "entries-1-name_en": "Meals served",
            "entries-1-measure": "count",
            "entries-1-unit": "meals",
            "entries-1-aggregation": "sum",
        },
    )
    saved = client.post(url, data)
    newer = Library.objects.get(organisation=library.organisation, version=2)
    assert saved.status_code == 302 and saved["Location"] == reverse("library", args=[newer.pk])
    entries = {entry.code: entry for entry in newer.entries.all()}
    assert set(entries) == {"NET-1", "NET-2"}
    assert entries["NET-1"].translated("name", "es") == "Mujeres lideresas capacitadas"
    assert [d.slug for d in entries["NET-1"].dimensions.all()] == ["sex"]
    library.refresh_from_db()
    assert library.superseded_at is not None
    assert library.entries.get().links.count() == 3  # the projects' links keep version 1

    page = client.get(reverse("library-edit", args=[newer.pk]))
    client.post(
        reverse("library-edit", args=[newer.pk]), posted(page, **{"entries-1-DELETE": "on"})
    )
    third = Library.objects.get(organisation=library.organisation, version=3)
    assert [entry.code for entry in third.entries.all()] == ["NET-1"]


def test_every_problem_of_the_form_is_listed_and_nothing_is_stored(client, network_results):
    library, _viewer = network_results
    manager = MembershipFactory(organisation=library.organisation, role=Membership.Role.MANAGER)
    client.force_login(manager.user)
    url = reverse("library-edit", args=[library.pk])
    data = posted(
        client.get(url),
        **{
            "entries-0-measure": "",
            "entries-1-code": "net-1",
            "entries-1-name_en": "Twice",
            "entries-1-measure": "count",
            "entries-2-code": "NET-3",
            "entries-2-measure": "count",
        },
    )
    answer = client.post(url, data)
    assert answer.status_code == 400
    text = answer.text
    assert "Nothing was stored: 3 problems to correct." in text
    assert "Row 1: give the measure: count, percentage, amount, milestone or qualitative." in text
    assert "Row 2: the code net-1 is also on row 1." in text
    assert "Row 3: give the name in English." in text
    assert Library.objects.count() == 1


def test_a_viewer_may_not_edit_and_an_outsider_does_not_see_the_library(client, network_results):
    library, viewer = network_results
    client.force_login(viewer)
    url = reverse("library-edit", args=[library.pk])
    assert client.get(url).status_code == 403
    assert "Edit as a new version" not in client.get(reverse("library", args=[library.pk])).text
    client.force_login(MembershipFactory(role=Membership.Role.ADMIN).user)
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404
    assert Library.objects.count() == 1
