from django.db.models import QuerySet

from partners.models import Organisation
from partners.selectors import administered_organisation, administered_organisations

from .models import ApiToken

__all__ = ["administered_organisation", "administered_organisations", "tokens_of"]


def tokens_of(organisation: Organisation) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(organisation=organisation).select_related("created_by")
