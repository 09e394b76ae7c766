from django.db.models import QuerySet
from django.http import Http404

from partners.models import Membership, Organisation, User

from .models import ApiToken


def administered_organisations(user: User) -> QuerySet[Organisation]:
    if user.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(
        memberships__user=user, memberships__role=Membership.Role.ADMIN
    )


def administered_organisation(user: User, pk: int) -> Organisation:
    """An organisation the user administers, or 404."""
    try:
        return administered_organisations(user).get(pk=pk)
    except Organisation.DoesNotExist:
        raise Http404 from None


def tokens_of(organisation: Organisation) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(organisation=organisation).select_related("created_by")
