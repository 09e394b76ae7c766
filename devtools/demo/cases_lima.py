"""Seeds 000 (Mano a Mano Peru), 001 (La Victoria and El Agustino) and 003 (Santa Anita)."""

from datetime import date
from decimal import Decimal as D

LA_ENSENADA = ("Peru", "Lima", "La Ensenada")

MANO_A_MANO = {
    "reporters": ("mam-editor", "mam-manager"),
    "code": "mam-la-ensenada",
    "sectors": "15170, 43030",  # women's rights organisations; urban development
    "title": (
        "Supporting women's emancipation by promoting inclusion and participation in "
        "sustainable urban development in their neighborhoods"
    ),
    "summary": (
        "The project aims to promote the emancipation of women living in Lima's shantytowns, "
        "through sustainable neighborhood development. It targets 4 of the 40 marginalized "
        "communities of La Ensenada and includes the construction of a new green space in "
        "Cerrito de La Libertad, the development of plans in four neighborhoods, a "
        "socio-economic survey in Virgen del Carmen and the development of two new lanes in "
        "Los Jazmines, with a women's training and school support component."
    ),
    "status": "closed",
    "planned_start": date(2023, 12, 1),
    "planned_end": date(2025, 11, 30),
    "actual_start": date(2023, 12, 1),
    "actual_end": date(2025, 11, 30),
    "dates_note": (
        "The document says the project will be completed in November 2025 and rests on a "
        "2-year agreement with the neighbourhood leaders; the start is taken as two years earlier, "
        "and the work as done on those dates."
    ),
    "budget": D("69966"),
    "currency": "EUR",
    "source": "000_e99b8cddfe84e22e.txt",
    "locations": [
        (*LA_ENSENADA, "Virgen del Carmen"),
        (*LA_ENSENADA, "Cerrito de La Libertad"),
        (*LA_ENSENADA, "Vista Hermosa"),
        (*LA_ENSENADA, "Los Jazmines"),
    ],
    "fundings": [
        {
            "funder": "setec",
            "amount": D("16322"),
            "currency": "EUR",
            "instrument": "Transition 2024 Fund",
            "liaison": "Arnaud Giron, Project Director at setec international",
        }
    ],
    "partners": [("MAM", 4, "")],
    "beneficiary_groups": [
        {
            "name": "Residents of four communities of La Ensenada",
            "description": "Among the 1,515 beneficiaries, 51% of whom are women.",
            "estimated_size": 1515,
            "women_share": D("0.51"),
        },
        {
            "name": "The group of women builders",
            "description": (
                "Formed in 2006; to date they have built over 5,664 m² of urban infrastructure."
            ),
            "estimated_size": 10,
            "women_share": D("1"),
        },
    ],
    "results": [
        (
            "1",
            "objective",
            "A group of 10 trained women continues to develop new green spaces in Los Jazmines and neighboring neighborhoods.",
            None,
        ),
        (
            "2",
            "objective",
            "Potentiate the production and enhancement of already developed green spaces.",
            None,
        ),
        (
            "3",
            "objective",
            "Contribute to the education of children and the empowerment of women who participate in the canteens.",
            None,
        ),
        (
            "4",
            "objective",
            "Institutional strengthening of Mano a Mano and the 4 communities",
            None,
        ),
    ],
    "indicators": [
        {
            "code": "MAM-1",
            "counts_people_reached": True,
            "name": "Trained women who continue to develop green spaces",
            "result": "1",
            "beneficiary_group": "The group of women builders",
            "unit": "women",
            "aggregation": "latest",
            "target_value": D(10),
        },
        {
            "code": "MAM-2",
            "name": "New green space built in Cerrito de La Libertad",
            "result": "1",
            "measure": "milestone",
        },
        {
            "code": "MAM-3",
            "name": "Neighbourhood plans developed",
            "description": "Plans in Virgen del Carmen, Cerrito de La Libertad, Vista Hermosa and Los Jazmines.",
            "result": "4",
            "unit": "plans",
            "dimensions": [("neighbourhood", True)],
            "category_targets": [
                ("neighbourhood", "virgen-del-carmen", D(1), None),
                ("neighbourhood", "cerrito-de-la-libertad", D(1), None),
                ("neighbourhood", "vista-hermosa", D(1), None),
                ("neighbourhood", "los-jazmines", D(1), None),
            ],
        },
        {
            "code": "MAM-4",
            "name": "Socio-economic survey in Virgen del Carmen",
            "result": "4",
            "measure": "milestone",
        },
        {
            "code": "MAM-5",
            "name": "New lanes developed in Los Jazmines",
            "result": "2",
            "unit": "lanes",
            "target_value": D(2),
        },
        {
            "code": "MAM-6",
            "name": "Urban infrastructure built by the women builders",
            "description": (
                "To date, they have built over 5,664 m² of urban infrastructure. The document "
                "sets no target: the indicator tracks the area reached."
            ),
            "result": "2",
            "beneficiary_group": "The group of women builders",
            "unit": "m²",
            "aggregation": "latest",
            "baseline_value": D(5664),
            "baseline_date": date(2023, 12, 1),
        },
        {
            "code": "MAM-7",
            "counts_people_reached": True,
            "name": "Beneficiaries reached",
            "description": "Among the 1,515 beneficiaries, 51% of whom are women.",
            "beneficiary_group": "Residents of four communities of La Ensenada",
            "unit": "people",
            "target_value": D(1515),
            "dimensions": [("sex", False)],
            "category_targets": [("sex", "women", None, D("0.51"))],
        },
    ],
    "progress": [
        {"indicator": "MAM-1", "as_of": date(2025, 6, 30), "value": D(10)},
        {"indicator": "MAM-2", "as_of": date(2025, 3, 31), "value": D(1)},
        {"indicator": "MAM-5", "as_of": date(2025, 6, 30), "value": D(1)},
        {"indicator": "MAM-6", "as_of": date(2025, 6, 30), "value": D(5910)},
        {
            "indicator": "MAM-3",
            "as_of": date(2025, 6, 30),
            "parts": {
                ("neighbourhood", "los-jazmines"): D(1),
                ("neighbourhood", "vista-hermosa"): D(1),
            },
        },
        {
            "indicator": "MAM-7",
            "as_of": date(2025, 6, 30),
            "value": D(1200),
            "parts": {("sex", "women"): D(630)},
        },
        {
            "indicator": "MAM-7",
            "as_of": date(2025, 10, 31),
            "value": D(180),
            "parts": {("sex", "women"): D(95)},
            "status": "submitted",
        },
    ],
}

CIRCULAR_ECONOMY = {
    "reporters": ("aspem-editor", "aspem-manager"),
    "code": "circular-la-victoria-el-agustino",
    "sectors": "14050, 32130",  # waste management; SME development
    "title": "La Victoria and El Agustino: Alliances for a Circular Economy",
    "summary": (
        "Our general goal is to contribute to a sustainable city, promoting a comprehensive "
        "ecological transition with a low carbon economy in the municipalities of La Victoria "
        "and El Agustino, in Metropolitan Lima. For this, we will seek that the public and "
        "private actors involved, and in alliance, use and spread the principles of the "
        "circular economy in the management of their organizations."
    ),
    "planned_start": date(2025, 1, 1),
    "planned_end": date(2027, 6, 30),
    "actual_start": date(2025, 1, 1),
    "dates_note": (
        "The document gives a duration of 30 months but no start; January 2025 is assumed, "
        "as planned and as begun."
    ),
    "budget": None,
    "currency": "EUR",
    "source": "001_7c45006a472d76f6.txt",
    "locations": [("Peru", "Lima", "La Victoria"), ("Peru", "Lima", "El Agustino")],
    "fundings": [{"funder": "EU", "amount": None, "currency": "EUR"}],
    "partners": [
        ("ASPEm", 4, "Executing partner"),
        ("ADEC ATC", 4, "Executing partner"),
        ("SNI", 4, "Executing partner"),
        ("MDLV", 4, "Executing partner"),
        ("MDEA", 4, "Executing partner"),
    ],
    "beneficiary_groups": [
        {
            "name": "Municipal officials and technical staff of La Victoria and El Agustino",
            "estimated_size": 75,
            "women_share": D("0.40"),
        },
        {
            "name": "Drivers and workers of MSEs of Gamarra and the food markets",
            "estimated_size": 160,
            "women_share": D("0.60"),
        },
        {
            "name": "Business associations of Gamarra, Modelo fruit market and supply markets",
            "estimated_size": 20,
        },
        {
            "name": "Recyclers' associations of La Victoria and El Agustino",
            "description": "8 recyclers' associations, about 160 associates (60% women).",
            "estimated_size": 160,
            "women_share": D("0.60"),
        },
    ],
    "results": [
        (
            "1",
            "objective",
            "Contribute to a sustainable city, promoting a comprehensive ecological transition with a low carbon economy in La Victoria and El Agustino",
            None,
        ),
        (
            "1.1",
            "outcome",
            "Municipal officials incorporate the principles of circular economy and promote public policies for a sustainable city",
            "1",
        ),
        (
            "1.2",
            "outcome",
            "MSEs of Gamarra and the food markets incorporate good practices of circular economy",
            "1",
        ),
        (
            "1.3",
            "outcome",
            "Business associations join the industries in value chains with circular-economy strategies",
            "1",
        ),
        (
            "1.4",
            "outcome",
            "Recyclers' associations continue their formalization, improve their practices and join circular value chains",
            "1",
        ),
    ],
    "indicators": [
        {
            "code": "CE-1",
            "counts_people_reached": True,
            "name": "Officials and technical personnel who incorporate the principles of circular economy",
            "result": "1.1",
            "beneficiary_group": "Municipal officials and technical staff of La Victoria and El Agustino",
            "unit": "officials",
            "target_value": D(75),
            "dimensions": [("sex", False)],
            "category_targets": [("sex", "women", None, D("0.40"))],
        },
        {
            "code": "CE-2",
            "counts_people_reached": True,
            "name": "Drivers and workers of MSEs who incorporate good practices of circular economy",
            "result": "1.2",
            "beneficiary_group": "Drivers and workers of MSEs of Gamarra and the food markets",
            "unit": "people",
            "target_value": D(160),
            "dimensions": [("sex", False)],
            "category_targets": [("sex", "women", None, D("0.60"))],
        },
        {
            "code": "CE-3",
            "name": "Business associations that join the industries in circular value chains",
            "result": "1.3",
            "beneficiary_group": "Business associations of Gamarra, Modelo fruit market and supply markets",
            "unit": "associations",
            "target_value": D(20),
        },
        {
            "code": "CE-4",
            "name": "Recyclers' associations strengthened",
            "description": "4 from La Victoria district and 4 from El Agustino district.",
            "result": "1.4",
            "beneficiary_group": "Recyclers' associations of La Victoria and El Agustino",
            "unit": "associations",
            "dimensions": [("district", True)],
            "category_targets": [
                ("district", "la-victoria", D(4), None),
                ("district", "el-agustino", D(4), None),
            ],
        },
        {
            "code": "CE-5",
            "counts_people_reached": True,
            "name": "Associates of the recyclers' associations strengthened",
            "description": "About 160 associates (60% women).",
            "result": "1.4",
            "beneficiary_group": "Recyclers' associations of La Victoria and El Agustino",
            "unit": "associates",
            "target_value": D(160),
            "dimensions": [("sex", True)],
            "category_targets": [("sex", "women", None, D("0.60"))],
        },
    ],
    "progress": [
        {
            "indicator": "CE-1",
            "as_of": date(2025, 12, 31),
            "value": D(30),
            "parts": {("sex", "women"): D(13)},
        },
        {
            "indicator": "CE-4",
            "as_of": date(2026, 6, 30),
            "parts": {("district", "la-victoria"): D(2), ("district", "el-agustino"): D(1)},
        },
        {"indicator": "CE-3", "as_of": date(2026, 6, 30), "value": D(6), "status": "submitted"},
    ],
}

SANTA_ANITA = {
    "reporters": ("ciudadviva-editor", "ciudadviva-manager"),
    "code": "santa-anita-public-spaces",
    "sectors": "43030, 16061",  # urban development; culture and recreation
    "title": "Santa Anita: public spaces, dance and the collaborative platform",
    "summary": (
        "The initiative will promote a space for citizen participation or Collaborative "
        "Platform, integrating the municipality, local businesses, community, academia, youth "
        "and cultural organizations. As a catalyst, a Festival of Dance and Public Spaces will "
        "be established; these actions will make it possible to map, characterize and "
        "intervene the district's public spaces."
    ),
    "planned_start": date(2023, 7, 1),
    "planned_end": date(2028, 6, 30),
    "actual_start": date(2023, 7, 1),
    "dates_note": (
        "Direct results are due by 2024 and impacts within five years; the start, planned and "
        "actual, is taken after Ciudad Viva's survey of June 2023."
    ),
    "budget": None,
    "currency": "USD",
    "source": "003_886b183f86ce3d09.txt",
    "locations": [("Peru", "Lima", "Santa Anita")],
    "fundings": [],
    "partners": [
        ("Ciudad Viva", 4, "Presumed implementer: the document's surveyor and promoter"),
        ("USMP", 4, "Partner; leads the public-space characterisation"),
        ("UNALM", 4, "Partner"),
        ("PUCP", 4, "Partner"),
        ("MVCS", 4, "Partner"),
        ("MINCUL", 4, "Partner"),
        ("PepsiCo", 4, "Partner"),
        ("QSL", 4, "Partner"),
        ("Softys", 4, "Partner"),
        ("Fuerza Morenos", 4, "Partner"),
        ("Luz Del Sur", 4, "Partner"),
    ],
    "beneficiary_groups": [
        {
            "name": "Population of Santa Anita",
            "description": "A density of 18,354.91 inhabitants per km² (INEI, 2017).",
        },
        {"name": "Cultural, social, youth and neighbourhood organisations of Santa Anita"},
        {
            "name": "Local companies",
            "description": "The district has 290 companies.",
            "estimated_size": 290,
        },
    ],
    "results": [
        (
            "1",
            "objective",
            "A district vision of free, sustainable, inclusive and safe public spaces, co-created and prioritised in the district agenda",
            None,
        ),
        ("1.1", "outcome", "Collaborative Platform", "1"),
        ("1.2", "outcome", "Dance and Public Spaces Festival", "1"),
        ("1.3", "outcome", "Citizen interventions", "1"),
    ],
    "indicators": [
        {
            "code": "SA-1",
            "name": "Collaborative Citizen Platform installed with a consensual role and function guide, along with a work plan in place",
            "result": "1.1",
            "measure": "milestone",
            "target_date": date(2024, 12, 31),
        },
        {
            "code": "SA-2",
            "name": "Companies that make contributions between $5,000 and $10,000 (US dollars) or equivalent in kind",
            "result": "1.1",
            "beneficiary_group": "Local companies",
            "unit": "companies",
            "target_value": D(5),
            "target_date": date(2024, 12, 31),
        },
        {
            "code": "SA-3",
            "name": "Contributions of the companies, in money or in kind",
            "description": "5 companies make contributions between $5,000 to $10,000 (US dollars) each: 25,000 to 50,000 in all.",
            "result": "1.1",
            "measure": "amount",
            "currency": "USD",
            "unit": "USD",
            "target_kind": "range",
            "target_min": D(25000),
            "target_max": D(50000),
            "target_date": date(2024, 12, 31),
        },
        {
            "code": "SA-4",
            "name": "Cultural, environmental, sports and youth organizations mapped",
            "result": "1.1",
            "beneficiary_group": "Cultural, social, youth and neighbourhood organisations of Santa Anita",
            "unit": "organisations",
            "target_value": D(30),
            "target_date": date(2024, 12, 31),
        },
        {
            "code": "SA-5",
            "name": "New neighborhood associations registered",
            "result": "1.1",
            "unit": "associations",
            "target_value": D(5),
            "target_date": date(2024, 12, 31),
        },
        {
            "code": "SA-6",
            "name": "Public Spaces in the district mapped and categorized according to location, uses, equipment and quality",
            "description": "The district has 134 parks.",
            "result": "1.1",
            "measure": "percentage",
            "unit": "% of the district's parks",
            "aggregation": "latest",
            "target_value": D(100),
            "default_denominator": D(134),
            "target_date": date(2024, 12, 31),
        },
        {
            "code": "SA-7",
            "name": "Neighborhood organizations of Santa Anita that participate in the dance and public spaces contest",
            "result": "1.2",
            "unit": "organisations",
            "target_value": D(20),
            "target_date": date(2024, 12, 31),
        },
        {
            "code": "SA-8",
            "name": "Public spaces intervened cooperatively, one of them winning a large-scale transformation",
            "result": "1.3",
            "unit": "public spaces",
            "target_value": D(10),
            "target_date": date(2024, 12, 31),
        },
        {
            "code": "SA-I1",
            "name": "Population of Santa Anita whose social cohesion is strengthened",
            "description": "Expected impact in five years.",
            "result": "1",
            "beneficiary_group": "Population of Santa Anita",
            "measure": "percentage",
            "unit": "% of the population",
            "aggregation": "latest",
            "target_value": D(60),
        },
        {
            "code": "SA-I2",
            "name": "Sustainable contribution of the private sector to the improvement of public spaces",
            "description": "Expected impact in five years.",
            "result": "1",
            "measure": "percentage",
            "unit": "% of the investment",
            "aggregation": "latest",
            "target_value": D(30),
        },
        {
            "code": "SA-I3",
            "name": "Public spaces in conditions of deterioration or risk that are improved",
            "description": "Expected impact in five years.",
            "result": "1",
            "measure": "percentage",
            "unit": "% of deteriorated public spaces",
            "aggregation": "latest",
            "target_value": D(100),
        },
    ],
    "progress": [
        {"indicator": "SA-1", "as_of": date(2024, 5, 31), "value": D(1)},
        {"indicator": "SA-4", "as_of": date(2024, 6, 30), "value": D(12)},
        {
            "indicator": "SA-6",
            "as_of": date(2024, 9, 30),
            "numerator": D(67),
            "denominator": D(134),
        },
        {"indicator": "SA-3", "as_of": date(2024, 10, 31), "value": D(15000)},
    ],
}
