from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.admin import ReadOnly

from .models import Invitation, Membership, Organisation, User


class MembershipInline(ReadOnly, admin.TabularInline):
    """People and roles are managed by each organisation's administrators in the portal (or, for
    a new organisation's first administrator, with `manage.py invite_administrator`)."""

    model = Membership
    extra = 0
    autocomplete_fields = ["organisation", "user"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "country", "parent", "oversees_members"]
    list_filter = ["kind", "country", "oversees_members", "single_manager"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "organisation__name", "organisation__short_name"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role"]
    search_fields = ["email", "organisation__name"]
    list_select_related = ["organisation"]
    exclude = ["key_hash"]


# Two-factor devices are set up by each person with a code from their app, and removed by an
# operator only after checking who asks (`manage.py reset_two_factor`): not in the admin, where a
# device could be added to someone else's account.
for _device in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device):
        admin.site.unregister(_device)
