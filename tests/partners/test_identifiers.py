"""IATI organisation identifiers are checked against the dated copy of IATI's
OrganisationRegistrationAgency codelist, in the service and on the settings page."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from partners import services
from partners.identifiers import agencies, agency_of, validate_organisation_identifier
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_the_codelist_copy_holds_the_agencies_a_peruvian_ngo_and_its_funders_use():
    listed = agencies()
    assert len(listed) == 525
    assert listed["PE-RUC"].name == "RUC Number (Peru)"
    assert {"PE-SUNARP", "XM-DAC", "XI-IATI", "GB-CHC", "XE-EXAMPLE"} <= set(listed)
    assert listed["US-DOS"].withdrawn and not listed["PE-RUC"].withdrawn
    assert agency_of("pe-ruc-20100047218").code == "PE-RUC"
    assert agency_of("XM-PORTAL-MAM") is None


@pytest.mark.parametrize(
    ("identifier", "says"),
    [
        ("XM-PORTAL-Ciudad-Viva", "does not begin with the code of a registration agency"),
        ("RUC-20100047218", "does not begin with the code of a registration agency"),
        ("PE-RUC 20100047218", "no spaces"),
        ("PE-RUC-", "Add the number RUC Number (Peru) gave the organisation after PE-RUC-."),
        ("US-DOS-123", "IATI has withdrawn the list US-DOS"),
    ],
)
def test_an_identifier_outside_the_agencies_list_is_refused_with_the_reason(identifier, says):
    with pytest.raises(ValidationError) as refused:
        validate_organisation_identifier(identifier)
    assert says in refused.value.messages[0]


@pytest.mark.parametrize("identifier", ["PE-RUC-20100047218", "XM-DAC-41304", "XI-IATI-EC_ECHO"])
def test_an_identifier_from_a_listed_agency_is_accepted(identifier):
    validate_organisation_identifier(identifier)


def test_the_settings_page_refuses_an_invented_prefix_and_stores_nothing(client):
    organisation = OrganisationFactory(name="Mano a Mano", short_name="MAM")
    admin = MembershipFactory(organisation=organisation, role="admin").user
    client.force_login(admin)
    page = reverse("organisation", args=[organisation.pk])
    fields = {"action": "details", "name": "Mano a Mano", "short_name": "MAM", "kind": "ngo"}
    refused = client.post(page, {**fields, "iati_identifier": "XM-PORTAL-MAM"})
    assert refused.status_code == 400
    assert "registration agency in IATI" in refused.text
    organisation.refresh_from_db()
    assert organisation.iati_identifier == ""
    assert client.post(page, {**fields, "iati_identifier": "PE-RUC-20100047218"}).status_code == 302
    organisation.refresh_from_db()
    assert organisation.iati_identifier == "PE-RUC-20100047218"


def test_the_service_refuses_it_too_whoever_calls_it():
    organisation = OrganisationFactory()
    admin = MembershipFactory(organisation=organisation, role="admin").user
    with pytest.raises(ValidationError) as refused:
        services.update_organisation(
            organisation=organisation,
            by=admin,
            name=organisation.name,
            short_name=organisation.short_name,
            kind=organisation.kind,
            parent=None,
            oversees_members=False,
            iati_identifier="XX-NONE-1",
        )
    assert "iati_identifier" in refused.value.message_dict
