"""The questions a period report answers. Its sections are kept by these keys, so that each
reader sees the questions in their own language."""

from django.utils.translation import gettext_lazy as _

PROMPTS = {
    "achievements": _("Achievements: what was done and reached in the period?"),
    "difficulties": _("Difficulties: what went wrong, and what was done about it?"),
    "changes": _("Changes: what changed in the plan, the context or the team?"),
    "lessons": _("Lessons learned: what would you do differently?"),
}
