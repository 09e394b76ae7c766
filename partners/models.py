from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .identifiers import validate_organisation_identifier


class User(AbstractUser):
    """A person who signs in, or a partner system's API token acting for its organisation.
    What either may see follows from their memberships."""

    is_api_client = models.BooleanField(
        _("API client"), default=False, help_text=_("Stands for an API token; cannot sign in.")
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The portal speaks it from sign-in on."),
    )
    email_verified = models.BooleanField(
        _("e-mail address verified"),
        default=False,
        help_text=_(
            "The person has shown this address is theirs: they came through a link sent to it "
            "(an invitation, a password reset). Changing the address clears it."
        ),
    )
    receives_reminders = models.BooleanField(
        _("reporting reminders"),
        default=True,
        help_text=_("E-mails about periods due soon or overdue, and updates waiting for review."),
    )

    class Meta:
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


# IATI's OrganisationType codelist (https://iatistandard.org/en/iati-standard/203/codelists/organisationtype/).
IATI_ORGANISATION_TYPES = [
    ("10", _("Government")),
    ("11", _("Local Government")),
    ("15", _("Other Public Sector")),
    ("21", _("International NGO")),
    ("22", _("National NGO")),
    ("23", _("Regional NGO")),
    ("24", _("Partner Country based NGO")),
    ("30", _("Public Private Partnership")),
    ("40", _("Multilateral")),
    ("60", _("Foundation")),
    ("70", _("Private Sector")),
    ("71", _("Private Sector in Provider Country")),
    ("72", _("Private Sector in Aid Recipient Country")),
    ("73", _("Private Sector in Third Country")),
    ("80", _("Academic, Training and Research")),
    ("90", _("Other")),
]


class Organisation(models.Model):
    """An NGO, a funder, a grassroots organisation... Networks are trees through `parent`."""

    class Kind(models.TextChoices):
        NGO = "ngo", _("NGO")
        GRASSROOTS = "grassroots", _("Grassroots organisation")
        FUNDER = "funder", _("Funder")
        GOVERNMENT = "government", _("Government")
        COMPANY = "company", _("Company")
        UNIVERSITY = "university", _("University")
        NETWORK = "network", _("Network")
        MULTILATERAL = "multilateral", _("Multilateral organisation")

    name = models.CharField(_("name"), max_length=255, unique=True)
    short_name = models.CharField(_("short name"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2 code, e.g. PE.")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    oversees_members = models.BooleanField(
        _("oversees its members' work"),
        default=False,
        help_text=_(
            "People of this organisation also see the projects of its member organisations, "
            "at any depth of the network."
        ),
    )
    single_manager = models.BooleanField(
        _("has a single manager"),
        default=False,
        help_text=_("Its only manager may approve their own progress updates."),
    )
    requires_two_factor = models.BooleanField(
        _("administrators sign in with a second factor"),
        default=False,
        help_text=_(
            "Its administrators give a code from an authenticator app, or a recovery code, "
            "after their password; one without two-factor sign-in sets it up first."
        ),
    )
    iati_identifier = models.CharField(
        _("IATI organisation identifier"),
        max_length=100,
        blank=True,
        validators=[validate_organisation_identifier],
        help_text=_(
            "The register's code from IATI's list (e.g. PE-RUC for Peru's taxpayer register), "
            "a hyphen and the organisation's number in it. Activities' identifiers start with it."
        ),
    )
    iati_type = models.CharField(
        _("IATI organisation type"),
        max_length=2,
        blank=True,
        choices=IATI_ORGANISATION_TYPES,
        help_text=_("Leave empty to derive it from the kind."),
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("id")), name="organisation_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's role in an organisation."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        MANAGER = "manager", _("Manager")
        EDITOR = "editor", _("Editor")
        VIEWER = "viewer", _("Viewer")

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_one_role_per_organisation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} ({self.get_role_display()})"


class Invitation(models.Model):
    """An e-mailed offer of a role in an organisation. The link carries a random key of which
    only the SHA-256 hash is kept; it works once, until it expires or is withdrawn."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=16, choices=Membership.Role.choices)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    invited_by = models.ForeignKey(
        User,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User,
        verbose_name=_("accepted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(withdrawn_at__isnull=True),
                name="invitation_accepted_or_withdrawn",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation} ({self.get_role_display()})"
