from datetime import date
from decimal import Decimal

import factory
from django.utils import timezone

from indicators.models import (
    Category,
    CategoryTarget,
    Dimension,
    Indicator,
    IndicatorDimension,
    Period,
    ProgressUpdate,
)
from partners.models import Membership, Organisation, User
from projects.models import (
    BeneficiaryGroup,
    Confirmation,
    Funding,
    Partnership,
    Project,
    Result,
)


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("secret-password")


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    short_name = factory.Sequence(lambda n: f"ORG{n}")
    kind = Organisation.Kind.NGO
    country = "PE"


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.EDITOR


class ProjectFactory(factory.django.DjangoModelFactory[Project]):
    class Meta:
        model = Project

    code = factory.Sequence(lambda n: f"project-{n}")
    title = factory.Sequence(lambda n: f"Project {n}")
    planned_start = date(2024, 1, 1)
    planned_end = date(2026, 12, 31)
    budget = Decimal("100000")
    currency = "EUR"


class FundingFactory(factory.django.DjangoModelFactory[Funding]):
    class Meta:
        model = Funding
        skip_postgeneration_save = True

    project = factory.SubFactory(ProjectFactory)
    funder = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.FUNDER)
    amount = Decimal("25000")
    currency = "EUR"

    @factory.post_generation
    def confirmed(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        """Links stand confirmed unless a test asks for one awaiting: `confirmed=False`."""
        if create and extracted is not False:
            Confirmation.objects.get_or_create(project=self.project, organisation=self.funder)


class PartnershipFactory(factory.django.DjangoModelFactory[Partnership]):
    class Meta:
        model = Partnership
        skip_postgeneration_save = True

    project = factory.SubFactory(ProjectFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Partnership.Role.IMPLEMENTING

    @factory.post_generation
    def confirmed(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        """Links stand confirmed unless a test asks for one awaiting: `confirmed=False`."""
        if create and extracted is not False:
            Confirmation.objects.get_or_create(project=self.project, organisation=self.organisation)


class BeneficiaryGroupFactory(factory.django.DjangoModelFactory[BeneficiaryGroup]):
    class Meta:
        model = BeneficiaryGroup

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"Beneficiary group {n}")
    estimated_size = 100


class ResultFactory(factory.django.DjangoModelFactory[Result]):
    class Meta:
        model = Result

    project = factory.SubFactory(ProjectFactory)
    level = Result.Level.OUTCOME
    number = factory.Sequence(lambda n: f"{n + 1}")
    title = factory.Sequence(lambda n: f"Result {n}")


class DimensionFactory(factory.django.DjangoModelFactory[Dimension]):
    class Meta:
        model = Dimension
        django_get_or_create = ["slug"]

    slug = "sex"
    name = "Sex"
    kind = Dimension.Kind.SEX


class CategoryFactory(factory.django.DjangoModelFactory[Category]):
    class Meta:
        model = Category
        django_get_or_create = ["dimension", "slug"]

    dimension = factory.SubFactory(DimensionFactory)
    slug = "women"
    name = "Women"


class IndicatorFactory(factory.django.DjangoModelFactory[Indicator]):
    class Meta:
        model = Indicator

    project = factory.SubFactory(ProjectFactory)
    code = factory.Sequence(lambda n: f"I-{n}")
    name = factory.Sequence(lambda n: f"Indicator {n}")
    measure = Indicator.Measure.COUNT
    unit = "people"
    target_value = Decimal(100)


class IndicatorDimensionFactory(factory.django.DjangoModelFactory[IndicatorDimension]):
    class Meta:
        model = IndicatorDimension

    indicator = factory.SubFactory(IndicatorFactory)
    dimension = factory.SubFactory(DimensionFactory)


class CategoryTargetFactory(factory.django.DjangoModelFactory[CategoryTarget]):
    class Meta:
        model = CategoryTarget

    indicator = factory.SubFactory(IndicatorFactory)
    category = factory.SubFactory(CategoryFactory)
    target_share = Decimal("0.6")


class ProgressUpdateFactory(factory.django.DjangoModelFactory[ProgressUpdate]):
    class Meta:
        model = ProgressUpdate

    indicator = factory.SubFactory(IndicatorFactory)
    as_of = date(2024, 6, 30)
    value = Decimal(10)
    status = ProgressUpdate.Status.APPROVED
    reviewed_at = factory.LazyFunction(timezone.now)


class PeriodFactory(factory.django.DjangoModelFactory[Period]):
    class Meta:
        model = Period

    project = factory.SubFactory(ProjectFactory)
    name = "S1 2024"
    start = date(2024, 1, 1)
    end = date(2024, 6, 30)


def register_for_iati(project: Project) -> Organisation:
    """Give the organisation that reports the project to IATI an identifier under XE-EXAMPLE,
    the prefix IATI's list of registration agencies keeps for example data."""
    from projects.selectors import reporting_organisation

    reporter = reporting_organisation(project)
    assert reporter is not None
    if not reporter.iati_identifier:
        reporter.iati_identifier = "XE-EXAMPLE-" + "".join(
            c for c in reporter.short_name if c.isalnum()
        )
        reporter.save(update_fields=["iati_identifier"])
    return reporter
