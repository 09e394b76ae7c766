"""The demo's indicator libraries and the project indicators reported against them.

CONAMOVIDI's own list holds what its members report in the seed document's words (women
leaders by role, meals served, families supported). The EU's list is illustrative: the codes
and wording are the demo's own, not the EU's Global Europe Results Framework, which the
repository does not ship; it shows a funder adding up its projects' people trained."""

from typing import Any

from indicators.models import Indicator
from libraries import services
from libraries.models import Library
from partners.models import Organisation, User

CONAMOVIDI_LIBRARY: dict[str, Any] = {
    "organisation": "CONAMOVIDI",
    "keeper": "conamovidi-manager",
    "name": "Indicadores de la red CONAMOVIDI",
    "language": "es",
    "entries": [
        {
            "code": "CMV-1",
            "name_es": "Mujeres lideresas que sostienen la organización",
            "name_en": "Women leaders sustaining the organisation",
            "name_fr": "Femmes leaders qui font vivre l’organisation",
            "measure": "count",
            "unit": "mujeres",
            "aggregation": "latest",
            "disaggregations": "leader-role",
        },
        {
            "code": "CMV-2",
            "name_es": "Raciones servidas por los comedores populares",
            "name_en": "Meals served by the soup kitchens",
            "name_fr": "Repas servis par les cantines populaires",
            "measure": "count",
            "unit": "raciones",
            "aggregation": "sum",
        },
        {
            "code": "CMV-3",
            "name_es": "Familias atendidas por primera vez por los comedores populares",
            "name_en": "Families newly supported by the soup kitchens",
            "name_fr": "Familles nouvellement soutenues par les cantines populaires",
            "measure": "count",
            "unit": "familias",
            "aggregation": "sum",
        },
    ],
    "links": [
        ("conamovidi-network", "CN-1", "CMV-1", "conamovidi-manager"),
        ("conamovidi-network", "CN-2", "CMV-2", "conamovidi-manager"),
        ("conamovidi-network", "CN-3", "CMV-3", "conamovidi-manager"),
    ],
}

EU_LIBRARY: dict[str, Any] = {
    "organisation": "EU",
    "keeper": "admin",  # the demo gives the EU a viewer only
    "name": "EU-funded actions: standard indicators (illustrative, demo codes)",
    "language": "en",
    "entries": [
        {
            "code": "DEMO-EU-1",
            "name_en": "People trained in new skills or practices, by sex",
            "name_es": "Personas capacitadas en nuevas habilidades o prácticas, por sexo",
            "name_fr": "Personnes formées à de nouvelles compétences ou pratiques, par sexe",
            "measure": "count",
            "unit": "people",
            "aggregation": "sum",
            "disaggregations": "sex",
            "tags": "illustrative",
        },
    ],
    "links": [
        ("circular-la-victoria-el-agustino", "CE-2", "DEMO-EU-1", "aspem-manager"),
        ("lid-displacement-integration", "LID-2.2", "DEMO-EU-1", "weworld-manager"),
    ],
}

LIBRARIES = [CONAMOVIDI_LIBRARY, EU_LIBRARY]


def load_libraries(organisations: dict[str, Organisation], users: dict[str, User]) -> int:
    """Load each library once (loading again would make a new version) and link the project
    indicators to it; returns the number of links."""
    linked = 0
    for spec in LIBRARIES:
        organisation = organisations[spec["organisation"]]
        library = (
            Library.objects.filter(organisation=organisation, name=spec["name"])
            .order_by("-version")
            .first()
        )
        if library is None:
            library = services.load_library(
                organisation=organisation,
                by=users[spec["keeper"]],
                name=spec["name"],
                language=spec["language"],
                rows=[(number, row) for number, row in enumerate(spec["entries"], start=2)],
            )
        entries = {entry.code: entry for entry in library.entries.all()}
        for project_code, indicator_code, entry_code, manager in spec["links"]:
            services.link_indicator(
                indicator=Indicator.objects.get(project__code=project_code, code=indicator_code),
                entry=entries[entry_code],
                by=users[manager],
            )
            linked += 1
    return linked
