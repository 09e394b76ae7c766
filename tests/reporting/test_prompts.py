"""An organisation sets its own period report prompts in three languages: its reports then
answer those, each reader reads them in their language, and a retired prompt stays with the
reports that answered it. Every problem is named at once; only its managers set them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from reporting import services
from reporting.models import ReportPrompt
from reporting.selectors import prompts_of
from tests.reporting.conftest import write

pytestmark = pytest.mark.django_db


def set_prompts(reporting, *prompts):
    return services.save_prompts(
        organisation=reporting["ngo_a"], by=reporting["manager_a"], prompts=list(prompts)
    )


def test_the_organisations_own_prompts_replace_the_portals_in_every_language(client, reporting):
    assert [key for key, _q in prompts_of(reporting["ngo_a"])] == [
        "achievements", "difficulties", "changes", "lessons",
    ]  # fmt: skip
    set_prompts(
        reporting,
        services.PromptInput(
            texts={"en": "How did the kitchens do?", "es": "¿Cómo les fue a los comedores?"}
        ),
    )
    [prompt] = ReportPrompt.objects.all()
    assert (prompt.key, prompt.language, prompt.text) == ("q1", "en", "How did the kitchens do?")
    with pytest.raises(ValidationError, match="The report has no section achievements"):
        write(reporting, sections={"achievements": "x"})
    report = write(reporting, sections={"q1": "Forty kitchens open."}, submit=True)
    services.approve_report(report=report, by=reporting["manager_a"])
    url = reverse(
        "reporting:period-report", args=[reporting["project_a"].pk, reporting["period"].pk]
    )
    client.force_login(reporting["funder_viewer"])
    assert "¿Cómo les fue a los comedores?" in client.get(url, HTTP_ACCEPT_LANGUAGE="es").text
    assert "How did the kitchens do?" in client.get(url).text

    set_prompts(
        reporting,
        services.PromptInput(key="q1", texts={"en": "How did the kitchens do?"}, retired=True),
        services.PromptInput(texts={"fr": "Qu’avez-vous appris ?"}),
    )
    assert [key for key, _q in prompts_of(reporting["ngo_a"])] == ["q2"]
    report.refresh_from_db()
    assert report.answers() == [("How did the kitchens do?", "Forty kitchens open.")]


def test_every_problem_of_the_prompts_is_named_and_nothing_is_stored(reporting):
    with pytest.raises(ValidationError) as refused:
        set_prompts(
            reporting,
            services.PromptInput(texts={"en": ""}),
            services.PromptInput(texts={"es": "x" * 301}),
            services.PromptInput(key="nobody", texts={"en": "Hijacked"}),
        )
    assert refused.value.messages == [
        "Prompt 1: write the question in at least one language.",
        "Prompt 2: a question has at most 300 characters.",
        "Prompt 3 is not one of yours.",
    ]
    assert not ReportPrompt.objects.exists()


def test_only_the_organisations_managers_set_its_prompts(client, reporting):
    with pytest.raises(PermissionDenied):
        services.save_prompts(
            organisation=reporting["ngo_a"],
            by=reporting["editor_a"],
            prompts=[services.PromptInput(texts={"en": "Mine"})],
        )
    url = reverse("reporting:prompts", args=[reporting["ngo_a"].pk])
    client.force_login(reporting["editor_a"])
    assert client.get(url).status_code == 403
    for outsider in (reporting["outsider"], reporting["editor_b"], reporting["funder_viewer"]):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, {}).status_code == 404
    client.force_login(reporting["manager_a"])
    page = client.get(url)
    assert page.status_code == 200
    assert "Retire it" not in page.text  # blank rows: nothing to retire yet
    data = {
        "prompts-TOTAL_FORMS": "2",
        "prompts-INITIAL_FORMS": "0",
        "prompts-MIN_NUM_FORMS": "0",
        "prompts-MAX_NUM_FORMS": "30",
        "prompts-0-text_en": "What changed for the women?",
        "prompts-0-text_es": "¿Qué cambió para las mujeres?",
    }
    assert client.post(url, data).status_code == 302
    assert [p.translated("text", "es") for p in ReportPrompt.objects.all()] == [
        "¿Qué cambió para las mujeres?"
    ]
    assert not ReportPrompt.objects.filter(organisation=reporting["ngo_b"]).exists()
    assert client.get(url).text.count("Retire it") == 1  # the saved prompt, not the blank rows
