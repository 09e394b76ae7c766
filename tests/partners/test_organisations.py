"""Organisation administrators: details, invitations, roles; and everyone's account."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from partners import services
from partners.models import Invitation, Membership, Organisation, User
from partners.selectors import ancestors
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ngo():
    organisation = OrganisationFactory(name="Mano a Mano", short_name="MAM")
    return {
        "organisation": organisation,
        "admin": MembershipFactory(organisation=organisation, role="admin").user,
        "manager": MembershipFactory(organisation=organisation, role="manager").user,
        "editor": MembershipFactory(organisation=organisation, role="editor").user,
        "other_admin": MembershipFactory(role="admin").user,
        "outsider": UserFactory(),
    }


def invitation_link(body: str) -> str:
    found = re.search(r"http://testserver(/invitations/\S+/)", body)
    assert found is not None
    return found.group(1)


def test_an_invitation_is_mailed_accepted_once_and_gives_the_role(
    client, ngo, django_capture_on_commit_callbacks
):
    client.force_login(ngo["admin"])
    page = reverse("organisation", args=[ngo["organisation"].pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            page, {"action": "invite", "email": "Ana@Example.org", "role": "editor"}
        )
    assert response.status_code == 302
    assert mail.outbox[0].to == ["ana@example.org"]
    link = invitation_link(mail.outbox[0].body)
    client.logout()

    details = {
        "username": "ana",
        "first_name": "Ana",
        "last_name": "Rojas",
        "password": "a-long-new-password",
        "password_again": "a-long-new-password",
    }
    assert client.post(link, details).status_code == 302
    ana = User.objects.get(username="ana")
    assert ana.email == "ana@example.org" and ana.email_verified  # she came through its link
    assert Membership.objects.get(user=ana).role == "editor"
    client.logout()
    again = client.post(link, {**details, "username": "ana2"})
    assert again.status_code == 404
    assert not User.objects.filter(username="ana2").exists()


def test_an_expired_or_withdrawn_invitation_does_not_work(client, ngo):
    invitation, key = services.invite(
        organisation=ngo["organisation"], by=ngo["admin"], email="x@example.org", role="viewer"
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(ValidationError, match="no longer works"):
        services.accept_invitation(key=key, by=ngo["outsider"])
    invitation, key = services.invite(
        organisation=ngo["organisation"], by=ngo["admin"], email="y@example.org", role="viewer"
    )
    services.withdraw_invitation(invitation=invitation, by=ngo["admin"])
    with pytest.raises(ValidationError):
        services.accept_invitation(key=key, by=ngo["outsider"])
    assert not Membership.objects.filter(user=ngo["outsider"]).exists()


def test_a_weak_password_or_taken_username_creates_no_account(client, ngo):
    _invitation, key = services.invite(
        organisation=ngo["organisation"], by=ngo["admin"], email="z@example.org", role="viewer"
    )
    response = client.post(
        reverse("accept-invitation", args=[key]),
        {
            "username": ngo["editor"].username,
            "password": "123",
            "password_again": "123",
        },
    )
    assert response.status_code == 400
    assert "This username is taken" in response.text
    assert "too short" in response.text
    assert not User.objects.filter(email="z@example.org").exists()
    assert services.invitation_for_key(key) is not None  # still usable


def test_nobody_invites_into_an_organisation_they_do_not_administer(client, ngo):
    page = reverse("organisation", args=[ngo["organisation"].pk])
    for who, status in (("manager", 403), ("editor", 403), ("other_admin", 404), ("outsider", 404)):
        client.force_login(ngo[who])
        response = client.post(page, {"action": "invite", "email": "a@b.org", "role": "admin"})
        assert response.status_code == status, who
        assert client.get(page).status_code == status, who
    admin = Membership.objects.get(user=ngo["admin"])
    people = f"/organisations/{ngo['organisation'].pk}/people/{admin.pk}"
    client.force_login(ngo["manager"])
    assert client.post(f"{people}/role/", {f"{admin.pk}-role": "viewer"}).status_code == 403
    assert client.post(f"{people}/remove/").status_code == 403
    client.force_login(ngo["other_admin"])
    assert client.post(f"{people}/remove/").status_code == 404
    admin.refresh_from_db()
    assert admin.role == "admin"
    with pytest.raises(PermissionDenied):
        services.invite(
            organisation=ngo["organisation"], by=ngo["manager"], email="a@b.org", role="admin"
        )
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_the_last_administrator_can_neither_be_removed_nor_demoted(client, ngo):
    client.force_login(ngo["admin"])
    own = Membership.objects.get(user=ngo["admin"])
    base = f"/organisations/{ngo['organisation'].pk}/people/{own.pk}"
    client.post(f"{base}/role/", {f"{own.pk}-role": "viewer"})
    client.post(f"{base}/remove/")
    own.refresh_from_db()
    assert own.role == "admin"
    response = client.get(reverse("organisation", args=[ngo["organisation"].pk]))
    assert "must keep at least one administrator" in response.text

    manager = Membership.objects.get(user=ngo["manager"])
    client.post(
        f"/organisations/{ngo['organisation'].pk}/people/{manager.pk}/role/",
        {f"{manager.pk}-role": "admin"},
    )
    manager.refresh_from_db()
    assert manager.role == "admin"
    client.post(f"{base}/remove/")  # now another administrator remains
    assert not Membership.objects.filter(pk=own.pk).exists()
    assert manager.history.count() == 2


def test_an_administrator_edits_the_organisation_and_cannot_join_its_own_member(client, ngo):
    member = OrganisationFactory(name="Member", parent=ngo["organisation"])
    client.force_login(ngo["admin"])
    page = reverse("organisation", args=[ngo["organisation"].pk])
    fields = {
        "action": "details",
        "name": "Mano a Mano Perú",
        "short_name": "MAM",
        "kind": "ngo",
        "oversees_members": "on",
    }
    assert client.post(page, {**fields, "parent": member.pk}).status_code == 400
    assert client.post(page, fields).status_code == 302
    ngo["organisation"].refresh_from_db()
    assert ngo["organisation"].name == "Mano a Mano Perú"
    assert ngo["organisation"].oversees_members
    assert ngo["organisation"].history.first().history_user == ngo["admin"]
    taken = client.post(page, {**fields, "short_name": member.short_name})
    assert "already has this short name" in taken.text


def test_password_reset_by_e_mail_end_to_end(client):
    UserFactory(username="rosa", email="rosa@example.org")
    page = client.get(reverse("login"))
    assert reverse("password_reset") in page.text and "Forgot your password?" in page.text
    client.post(reverse("password_reset"), {"email": "rosa@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body)
    assert link is not None
    form = client.get(link.group(1), follow=True)
    new = {"new_password1": "a-fresh-password-9", "new_password2": "a-fresh-password-9"}
    done = client.post(form.redirect_chain[-1][0], new, follow=True)
    assert "Your new password is saved" in done.text
    signed_in = client.post(
        reverse("login"), {"username": "rosa", "password": "a-fresh-password-9"}
    )
    assert signed_in.status_code == 302
    client.logout()
    assert client.get(link.group(1), follow=True).context["validlink"] is False


def test_profile_keeps_name_and_language_and_sign_in_speaks_it(client):
    user = UserFactory(username="jorge")
    client.force_login(user)
    response = client.post(
        reverse("profile"),
        {"first_name": "Jorge", "last_name": "Salazar", "email": "", "preferred_language": "es"},
    )
    assert response.cookies["django_language"].value == "es"
    user.refresh_from_db()
    assert (user.get_full_name(), user.preferred_language) == ("Jorge Salazar", "es")
    client.logout()
    client.cookies.clear()
    signed_in = client.post(reverse("login"), {"username": "jorge", "password": "secret-password"})
    assert signed_in.cookies["django_language"].value == "es"
    assert "<h1>Su perfil</h1>" in client.get(reverse("profile")).text


def test_password_change_needs_the_old_password(client):
    user = UserFactory(username="carmen")
    client.force_login(user)
    wrong = client.post(
        reverse("password_change"),
        {
            "old_password": "nope",
            "new_password1": "xq-new-pass-77",
            "new_password2": "xq-new-pass-77",
        },
    )
    assert wrong.status_code == 200
    right = client.post(
        reverse("password_change"),
        {
            "old_password": "secret-password",
            "new_password1": "xq-new-pass-77",
            "new_password2": "xq-new-pass-77",
        },
    )
    assert right.status_code == 302
    user.refresh_from_db()
    assert user.check_password("xq-new-pass-77")


def test_an_operator_invites_a_new_organisations_first_administrator(client):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command(
        "invite_administrator", "CV", "ana@example.org", "--name", "Ciudad Viva", stdout=out
    )
    organisation = Organisation.objects.get(short_name="CV")
    link = re.search(r"http://127\.0\.0\.1:8000(/invitations/\S+/)", out.getvalue())
    assert link is not None and mail.outbox[0].to == ["ana@example.org"]
    assert mail.outbox[0].body.startswith("You are invited to work with Ciudad Viva")
    details = {"username": "ana", "password": "a-long-new-password"}
    client.post(link.group(1), {**details, "password_again": details["password"]})
    assert Membership.objects.get(organisation=organisation).role == "admin"


def test_the_django_admin_shows_memberships_and_projects_but_changes_neither(client, ngo):
    operator = UserFactory(username="operator", is_staff=True, is_superuser=True)
    client.force_login(operator)
    membership = Membership.objects.get(user=ngo["editor"])
    url = f"/admin/partners/membership/{membership.pk}/change/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"role": "admin"}).status_code == 403
    assert client.post(f"/admin/partners/membership/{membership.pk}/delete/").status_code == 403
    membership.refresh_from_db()
    assert membership.role == "editor"


def test_networks_above_an_organisation_are_read_one_level_per_query(
    django_assert_num_queries,
):
    national = OrganisationFactory(name="National network")
    province = OrganisationFactory(name="Provincial network", parent=national)
    kitchen = OrganisationFactory(name="Soup kitchen", parent=province)
    loner = OrganisationFactory(name="Not in a network")
    OrganisationFactory.create_batch(30)

    # The kitchen, its province, the nation: three levels, whatever else exists.
    with django_assert_num_queries(3):
        above = ancestors([kitchen.pk, loner.pk])
    assert above == {kitchen.pk: {province.pk, national.pk}, loner.pk: set()}
    with django_assert_num_queries(0):
        assert ancestors([]) == {}
    # Parents the caller has read already save the first level.
    with django_assert_num_queries(2):
        above = ancestors([kitchen.pk], known_parents={kitchen.pk: province.pk})
    assert above == {kitchen.pk: {province.pk, national.pk}}
    with django_assert_num_queries(0):
        assert ancestors([loner.pk], known_parents={loner.pk: None}) == {loner.pk: set()}


def test_the_organisation_form_says_a_taken_short_name_and_an_empty_name_at_once(client, ngo):
    other = OrganisationFactory(name="Other", short_name="OTH")
    client.force_login(ngo["admin"])
    response = client.post(
        reverse("organisation", args=[ngo["organisation"].pk]),
        {"action": "details", "name": "", "short_name": other.short_name, "kind": "ngo"},
    )
    assert response.status_code == 400
    assert "This field is required." in response.text
    assert "already has this short name" in response.text


def test_an_invitation_to_someone_with_access_and_without_a_role_says_both(client, ngo):
    editor = ngo["editor"]
    editor.email = "rosa@example.org"
    editor.save()
    client.force_login(ngo["admin"])
    response = client.post(
        reverse("organisation", args=[ngo["organisation"].pk]),
        {"action": "invite", "email": "Rosa@example.org", "role": ""},
    )
    assert response.status_code == 400
    assert "This field is required." in response.text
    assert "Someone with this e-mail address already has access." in response.text
    assert mail.outbox == []


def test_accepting_says_a_taken_username_and_differing_passwords_at_once(client, ngo):
    invitation, key = services.invite(
        organisation=ngo["organisation"], by=ngo["admin"], email="ana@example.org", role="editor"
    )
    UserFactory(username="ana")
    response = client.post(
        reverse("accept-invitation", args=[key]),
        {
            "username": "ana",
            "password": "a-long-new-password",
            "password_again": "another-long-password",
        },
    )
    assert "The two passwords differ." in response.text
    assert "This username is taken; choose another." in response.text
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_invitation_goes_to_its_address_not_to_whoever_clicks(client, ngo):
    _invitation, key = services.invite(
        organisation=ngo["organisation"],
        by=ngo["admin"],
        email="victim@example.org",
        role="manager",
    )
    link = reverse("accept-invitation", args=[key])
    someone = UserFactory(username="someone", email="someone@example.org", email_verified=True)
    client.force_login(someone)
    page = client.get(link).text
    assert "This invitation is for victim@example.org; you are signed in as someone." in page
    assert "Sign out" in page and "Accept as" not in page
    assert client.post(link).status_code == 403
    # The same address typed into a profile, never shown to be theirs, is not enough either.
    claimer = UserFactory(username="claimer", email="victim@example.org")
    client.force_login(claimer)
    assert client.post(link).status_code == 403
    assert (
        not Membership.objects.filter(organisation=ngo["organisation"], role="manager")
        .exclude(user=ngo["manager"])
        .exists()
    )
    # The person whose address it is, shown by a link mailed to it, accepts.
    owner = UserFactory(username="owner", email="Victim@example.org", email_verified=True)
    client.force_login(owner)
    assert "Accept as owner" in client.get(link).text
    assert client.post(link).status_code == 302
    assert Membership.objects.get(user=owner, organisation=ngo["organisation"]).role == "manager"


def test_an_address_is_verified_by_a_link_mailed_to_it_and_unverified_by_changing_it(client, ngo):
    rosa = UserFactory(username="rosa", email="rosa@example.org")
    client.post(reverse("password_reset"), {"email": "rosa@example.org"})
    link = invitation_link_of_reset(mail.outbox[-1].body)
    form = client.get(link, follow=True)
    new = {"new_password1": "a-fresh-password-9", "new_password2": "a-fresh-password-9"}
    client.post(form.redirect_chain[-1][0], new)
    rosa.refresh_from_db()
    assert rosa.email_verified
    services.update_profile(
        by=rosa,
        first_name="",
        last_name="",
        email="rosa@elsewhere.example",
        preferred_language="",
    )
    rosa.refresh_from_db()
    assert not rosa.email_verified


def invitation_link_of_reset(body: str) -> str:
    found = re.search(r"http://testserver(/accounts/password/reset/\S+/)", body)
    assert found is not None
    return found.group(1)
