from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibrariesConfig(AppConfig):
    name = "libraries"
    verbose_name = _("Indicator libraries")
    default_auto_field = "django.db.models.BigAutoField"
