from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .selectors import site_links

        def remember_site_links(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
            # Kept in the session, so that no page pays a query for its header.
            if request is not None and hasattr(request, "session"):
                request.session["site_links"] = site_links(user)

        user_logged_in.connect(remember_site_links, dispatch_uid="projects.site_links", weak=False)
