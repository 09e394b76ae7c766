from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import IATI_ORGANISATION_TYPES, Membership, Organisation
from .selectors import descendants


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    short_name = forms.CharField(label=_("Short name"), max_length=64)
    kind = forms.ChoiceField(label=_("Kind"), choices=Organisation.Kind.choices)
    parent = forms.ModelChoiceField(
        label=_("Member of the network"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("None"),
    )
    oversees_members = forms.BooleanField(
        label=_("Our people see the work of our member organisations"), required=False
    )
    requires_two_factor = forms.BooleanField(
        label=_("Administrators sign in with a second factor (a code from an app)"),
        required=False,
    )
    iati_identifier = forms.CharField(
        label=_("IATI organisation identifier"),
        max_length=100,
        required=False,
        validators=Organisation._meta.get_field("iati_identifier").validators,
        help_text=Organisation._meta.get_field("iati_identifier").help_text,
    )
    iati_type = forms.ChoiceField(
        label=_("IATI organisation type"),
        choices=[("", _("Derived from the kind")), *IATI_ORGANISATION_TYPES],
        required=False,
    )

    def __init__(self, *args: object, organisation: Organisation, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["parent"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.exclude(
            pk__in=descendants([organisation.pk])
        ).order_by("name")


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("Where a link to reset a forgotten password is sent."),
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=[("", _("The browser’s")), *settings.LANGUAGES],
        required=False,
    )
    receives_reminders = forms.BooleanField(
        label=_("Send me reporting reminders"),
        required=False,
        help_text=_("E-mails about periods due soon or overdue, and updates waiting for review."),
    )


class AcceptForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password_again = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        if cleaned.get("password") != cleaned.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return cleaned
