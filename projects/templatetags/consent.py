"""The confirmations an organisation's page lists, read where the page is drawn so that the
organisation's app needs nothing of the projects'."""

from django import template

from partners.models import Organisation, User
from projects.selectors import Awaiting, awaiting_confirmation

register = template.Library()


@register.simple_tag
def awaiting_for(user: User, organisation: Organisation) -> list[Awaiting]:
    return [item for item in awaiting_confirmation(user) if item.organisation.pk == organisation.pk]
