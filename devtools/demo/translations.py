"""The demo's texts in Spanish and French, beside the English of the seed documents.

Titles of projects, names of dimensions and categories, and units are translated here; the
indicators' names and the results' titles stay as the documents give them, so a Spanish or
French reader sees those in English, as the portal shows any text not yet translated.
"""

# project code → {language: {field: text}}
PROJECTS = {
    "mam-la-ensenada": {
        "es": {
            "title": (
                "Apoyar la emancipación de las mujeres promoviendo su inclusión y participación "
                "en el desarrollo urbano sostenible de sus barrios"
            )
        },
        "fr": {
            "title": (
                "Soutenir l'émancipation des femmes en favorisant leur inclusion et leur "
                "participation au développement urbain durable de leurs quartiers"
            )
        },
    },
    "circular-la-victoria-el-agustino": {
        "es": {"title": "La Victoria y El Agustino: Alianzas para una Economía Circular"},
        "fr": {"title": "La Victoria et El Agustino : alliances pour une économie circulaire"},
    },
    "lid-displacement-integration": {
        "es": {
            "title": (
                "Del desplazamiento a la integración: construir comunidades productivas y "
                "protectoras en Perú y Ecuador"
            )
        },
        "fr": {
            "title": (
                "Du déplacement à l'intégration : bâtir des communautés productives et "
                "protectrices au Pérou et en Équateur"
            )
        },
    },
    "santa-anita-public-spaces": {
        "es": {"title": "Santa Anita: espacios públicos, danza y la plataforma colaborativa"},
        "fr": {"title": "Santa Anita : espaces publics, danse et plateforme collaborative"},
    },
    "conamovidi-network": {
        "es": {"title": "CONAMOVIDI: liderazgo de las mujeres y comedores populares en la red"},
        "fr": {"title": "CONAMOVIDI : leadership des femmes et cantines populaires dans le réseau"},
    },
}

# dimension slug → {language: (dimension name, {category slug: category name})}
DIMENSIONS: dict[str, dict[str, tuple[str, dict[str, str]]]] = {
    "sex": {
        "es": ("Sexo", {"women": "Mujeres", "men": "Hombres"}),
        "fr": ("Sexe", {"women": "Femmes", "men": "Hommes"}),
    },
    "gender-group": {
        "es": ("Grupo de género", {"women-lgbtiq": "Mujeres y personas LGBTIQ", "men": "Hombres"}),
        "fr": ("Groupe de genre", {"women-lgbtiq": "Femmes et personnes LGBTIQ", "men": "Hommes"}),
    },
    "age": {
        "es": ("Grupo de edad", {"minors": "Menores de edad", "adults": "Personas adultas"}),
        "fr": ("Tranche d'âge", {"minors": "Mineurs", "adults": "Adultes"}),
    },
    "district": {
        "es": ("Distrito", {}),
        "fr": ("District", {}),
    },
    "neighbourhood": {
        "es": ("Barrio", {}),
        "fr": ("Quartier", {}),
    },
    "stakeholder-group": {
        "es": (
            "Grupo de actores",
            {
                "officials": "Proveedores de servicios, autoridades y funcionarios públicos",
                "neighbourhood-councils": "Integrantes de juntas vecinales",
                "cso-members": "Personas de organizaciones de la sociedad civil",
            },
        ),
        "fr": (
            "Groupe d'acteurs",
            {
                "officials": "Prestataires de services, autorités et agents publics",
                "neighbourhood-councils": "Membres des conseils de quartier",
                "cso-members": "Personnes d'organisations de la société civile",
            },
        ),
    },
    "leader-role": {
        "es": (
            "Rol de la lideresa",
            {
                "soup-kitchen": "Lideresas de comedores populares",
                "violence-prevention": "Promotoras de prevención de la violencia",
                "environment": "Promotoras de ambiente y resiliencia comunitaria",
                "anti-covid": "Promotoras anti-COVID",
            },
        ),
        "fr": (
            "Rôle de la dirigeante",
            {
                "soup-kitchen": "Dirigeantes de cantines populaires",
                "violence-prevention": "Promotrices de la prévention de la violence",
                "environment": "Promotrices de l'environnement et de la résilience collective",
                "anti-covid": "Promotrices anti-COVID",
            },
        ),
    },
}

# unit as the documents give it → {language: unit}
UNITS = {
    "% of deteriorated public spaces": {
        "es": "% de los espacios públicos deteriorados",
        "fr": "% des espaces publics dégradés",
    },
    "% of the district's parks": {
        "es": "% de los parques del distrito",
        "fr": "% des parcs du district",
    },
    "% of the investment": {"es": "% de la inversión", "fr": "% de l'investissement"},
    "% of the population": {"es": "% de la población", "fr": "% de la population"},
    "adolescents": {"es": "adolescentes", "fr": "adolescents"},
    "associates": {"es": "asociados", "fr": "associés"},
    "associations": {"es": "asociaciones", "fr": "associations"},
    "children": {"es": "niñas y niños", "fr": "enfants"},
    "companies": {"es": "empresas", "fr": "entreprises"},
    "educators": {"es": "educadoras y educadores", "fr": "éducatrices et éducateurs"},
    "families": {"es": "familias", "fr": "familles"},
    "lanes": {"es": "pasajes", "fr": "ruelles"},
    "meals": {"es": "raciones", "fr": "repas"},
    "meetings": {"es": "reuniones", "fr": "réunions"},
    "officials": {"es": "funcionarios", "fr": "agents"},
    "organisations": {"es": "organizaciones", "fr": "organisations"},
    "people": {"es": "personas", "fr": "personnes"},
    "plans": {"es": "planes", "fr": "plans"},
    "public spaces": {"es": "espacios públicos", "fr": "espaces publics"},
    "students": {"es": "estudiantes", "fr": "élèves"},
    "women": {"es": "mujeres", "fr": "femmes"},
}


def dimension_translations(slug: str) -> tuple[dict, dict]:
    """The dimension's translations and its categories' (by category slug), as
    `save_dimension` takes them."""
    own: dict[str, dict[str, str]] = {}
    categories: dict[str, dict[str, dict[str, str]]] = {}
    for language, (name, category_names) in DIMENSIONS.get(slug, {}).items():
        own[language] = {"name": name}
        for category, category_name in category_names.items():
            categories.setdefault(category, {})[language] = {"name": category_name}
    return own, categories


def unit_translations(unit: str) -> dict[str, dict[str, str]]:
    return {language: {"unit": text} for language, text in UNITS.get(unit, {}).items()}
