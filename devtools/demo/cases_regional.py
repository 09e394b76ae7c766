"""Seeds 002 (From displacement to integration) and 004 (CONAMOVIDI)."""

from datetime import date
from decimal import Decimal as D

WOMEN_LGBTIQ = "Women and LGBTIQ people affected by displacement, survivors of gender-based violence or in poverty"
MEN = "Men affected by displacement in a situation of poverty"
TWO_GROUPS = [("gender-group", True)]


def _women_and_men(women: int, men: int) -> list:
    return [
        ("gender-group", "women-lgbtiq", D(women), None),
        ("gender-group", "men", D(men), None),
    ]


HALF_WOMEN = {
    "dimensions": [("sex", False)],
    "category_targets": [("sex", "women", None, D("0.5"))],
}
HALF_WOMEN_FIFTH_MINORS = {
    "dimensions": [("sex", False), ("age", True)],
    "category_targets": [("sex", "women", None, D("0.5")), ("age", "minors", None, D("0.2"))],
}
READ_AS_HALF = (
    'The document says "50 of whom are women and 20% of whom are minors"; read as 50 % women, '
    "as in the project's other indicators."
)

DISPLACEMENT = {
    "reporters": ("weworld-editor", "weworld-manager"),
    "code": "lid-displacement-integration",
    "sectors": "15190, 16010",  # orderly migration; social protection
    "title": (
        "From displacement to integration: building productive and protective communities "
        "in Peru and Ecuador"
    ),
    "summary": (
        "This project seeks to rebuild education and employment opportunities for at-risk "
        "migrants and reduce the discrimination they face. It is being undertaken by a "
        "consortium of 5 local and international partners and is being implemented through "
        "funding provided by the EU Lives in Dignity (LiD) Grant Facility."
    ),
    "planned_start": date(2024, 7, 1),
    "planned_end": date(2027, 6, 30),
    "actual_start": date(2024, 7, 1),
    "dates_note": (
        "The document gives no dates; three years from July 2024 are assumed, begun as planned."
    ),
    "budget": None,
    "currency": "EUR",
    "source": "002_4b8cd99168310737.txt",
    "locations": [
        ("Peru", "Piura"),
        ("Peru", "Lambayeque"),
        ("Peru", "La Libertad"),
        ("Ecuador", "Southern Ecuador"),
    ],
    "fundings": [{"funder": "LiD", "amount": None, "currency": "EUR"}],
    "partners": [
        ("ChildFund", 4, ""),
        ("UDA", 4, ""),
        ("IDEHPUCP", 4, ""),
        ("WeWorld", 4, ""),
        ("UNESCO", 4, ""),
    ],
    "beneficiary_groups": [
        {"name": WOMEN_LGBTIQ},
        {"name": MEN},
        {"name": "Migrant children and adolescents"},
        {"name": "Educators, service providers and public officials"},
        {"name": "People affected by displacement"},
    ],
    "results": [
        (
            "1",
            "objective",
            "Rebuild education and employment opportunities for at-risk migrants and reduce the discrimination they face",
            None,
        ),
        ("1.1", "outcome", "Increased income generation and livelihood opportunities", "1"),
        ("1.2", "outcome", "Increased access to quality and integrated basic services", "1"),
        ("1.3", "outcome", "Increased sense of security and the realisation of human rights", "1"),
    ],
    "indicators": [
        {
            "code": "LID-1.1",
            "name": "Women and LGBTIQ people and men affected by displacement who have a job or other sources of income 3 months after receiving help from the project",
            "result": "1.1",
            "beneficiary_group": WOMEN_LGBTIQ,
            "unit": "people",
            "dimensions": TWO_GROUPS,
            "category_targets": _women_and_men(550, 50),
        },
        {
            "code": "LID-1.2",
            "counts_people_reached": True,
            "name": "Women and LGBTIQ people who benefit from vocational training or skills development programmes",
            "result": "1.1",
            "beneficiary_group": WOMEN_LGBTIQ,
            "unit": "people",
            "target_value": D(300),
        },
        {
            "code": "LID-1.3",
            "name": "People who obtain formal recognition and accreditation of work skills and competencies",
            "result": "1.1",
            "beneficiary_group": WOMEN_LGBTIQ,
            "unit": "people",
            "dimensions": TWO_GROUPS,
            "category_targets": _women_and_men(522, 47),
        },
        {
            "code": "LID-1.4",
            "name": "People who find employment with the assistance of the project",
            "result": "1.1",
            "beneficiary_group": WOMEN_LGBTIQ,
            "unit": "people",
            "dimensions": TWO_GROUPS,
            "category_targets": _women_and_men(522, 47),
        },
        {
            "code": "LID-1.5",
            "name": "Research paper published to strengthen institutional capacity and increase the autonomy of people affected by displacement",
            "result": "1.1",
            "measure": "milestone",
        },
        {
            "code": "LID-1.6",
            "name": "Meetings with stakeholders held to advocate for access to technical/professional training and decent work",
            "result": "1.1",
            "unit": "meetings",
            "target_value": D(30),
        },
        {
            "code": "LID-2.1",
            "name": "Research paper published to help improve access of people affected by displacement to basic services",
            "result": "1.2",
            "measure": "milestone",
        },
        {
            "code": "LID-2.2",
            "counts_people_reached": True,
            "name": "Educators, service providers and public officials who receive training to address the specific needs of people affected by displacement",
            "result": "1.2",
            "beneficiary_group": "Educators, service providers and public officials",
            "unit": "people",
            "target_value": D(400),
            **HALF_WOMEN,
        },
        {
            "code": "LID-2.3",
            "name": "Educators who report having acquired new skills or knowledge",
            "result": "1.2",
            "beneficiary_group": "Educators, service providers and public officials",
            "unit": "educators",
            "target_value": D(600),
            **HALF_WOMEN,
        },
        {
            "code": "LID-2.4",
            "name": "Children who gain access to the national primary education system in the previous 12 months",
            "description": "300 children (50% girls).",
            "result": "1.2",
            "beneficiary_group": "Migrant children and adolescents",
            "unit": "children",
            "target_value": D(300),
            **HALF_WOMEN,
        },
        {
            "code": "LID-2.5",
            "name": "Adolescents who gain access to the national secondary education system in the previous 12 months",
            "description": "300 adolescents (50% female).",
            "result": "1.2",
            "beneficiary_group": "Migrant children and adolescents",
            "unit": "adolescents",
            "target_value": D(300),
            **HALF_WOMEN,
        },
        {
            "code": "LID-2.6",
            "name": "Displacement-affected students who have access to water, sinks, soap and towels",
            "result": "1.2",
            "beneficiary_group": "Migrant children and adolescents",
            "unit": "students",
            "target_value": D(8000),
        },
        {
            "code": "LID-3.1",
            "name": "Research paper published to improve institutional capacity to grant or improve access to services and protection mechanisms",
            "result": "1.3",
            "measure": "milestone",
        },
        {
            "code": "LID-3.2",
            "name": "People who participate in or attend support or media programmes aimed at combatting discrimination against displaced people",
            "result": "1.3",
            "unit": "people",
            "target_value": D(1000),
            **HALF_WOMEN,
        },
        {
            "code": "LID-3.3",
            "counts_people_reached": True,
            "name": "People affected by displacement reached through support programmes or the media to inform them of protection mechanisms",
            "result": "1.3",
            "beneficiary_group": "People affected by displacement",
            "unit": "people",
            "target_value": D(10000),
        },
        {
            "code": "LID-3.4",
            "name": "People affected by displacement referred to protection services that are appropriate to their needs",
            "description": READ_AS_HALF,
            "result": "1.3",
            "beneficiary_group": "People affected by displacement",
            "unit": "people",
            "target_value": D(1000),
            **HALF_WOMEN_FIFTH_MINORS,
        },
        {
            "code": "LID-3.5",
            "name": "Victims of human rights violations who receive assistance",
            "description": READ_AS_HALF,
            "result": "1.3",
            "beneficiary_group": "People affected by displacement",
            "unit": "people",
            "target_value": D(1000),
            **HALF_WOMEN_FIFTH_MINORS,
        },
        {
            "code": "LID-3.6",
            "name": "Service providers, authorities and public officials, Neighbourhood Council members and people from the 10 civil society organisations trained to address the needs of people affected by displacement",
            "result": "1.3",
            "unit": "people",
            "dimensions": [("stakeholder-group", True)],
            "category_targets": [
                ("stakeholder-group", "officials", D(320), None),
                ("stakeholder-group", "neighbourhood-councils", D(30), None),
                ("stakeholder-group", "cso-members", D(30), None),
            ],
        },
        {
            "code": "LID-3.7",
            "name": "People affected by displacement linked to the 'Community protection approach' platform",
            "result": "1.3",
            "beneficiary_group": "People affected by displacement",
            "unit": "people",
            "target_value": D(1000),
        },
        {
            "code": "LID-3.8",
            "name": "Response and protection plans created, one for each targeted locality",
            "result": "1.3",
            "unit": "plans",
            "target_value": D(5),
        },
    ],
    "progress": [
        {
            "indicator": "LID-1.1",
            "as_of": date(2025, 12, 31),
            "parts": {("gender-group", "women-lgbtiq"): D(220), ("gender-group", "men"): D(30)},
        },
        {"indicator": "LID-1.6", "as_of": date(2026, 3, 31), "value": D(12)},
        {
            "indicator": "LID-2.2",
            "as_of": date(2026, 3, 31),
            "value": D(180),
            "parts": {("sex", "women"): D(96)},
        },
        {
            "indicator": "LID-3.4",
            "as_of": date(2026, 3, 31),
            "value": D(300),
            "parts": {
                ("sex", "women"): D(160),
                ("age", "minors"): D(50),
                ("age", "adults"): D(250),
            },
        },
    ],
}

SOUP_KITCHENS = {
    "reporters": ("conamovidi-editor", "conamovidi-manager"),
    "code": "conamovidi-network",
    "sectors": "15170, 52010",  # women's rights organisations; food assistance
    "title": "CONAMOVIDI: women's leadership and soup kitchens across the network",
    "summary": (
        "CONAMOVIDI is a national-level social organization, whose members are provincial and "
        "district organizations that articulate and represent soup kitchens. In its own words, "
        "a problem it has today is not being able to systematize information on the impact of "
        "its work. Member organisations report the same indicators here and the figures roll "
        "up the organisation tree."
    ),
    "planned_start": date(2025, 1, 1),
    "planned_end": date(2027, 12, 31),
    "actual_start": date(2025, 1, 1),
    "dates_note": (
        "A programme, not a time-bound project in the document; 2025–2027 is assumed, begun "
        "as planned."
    ),
    "budget": None,
    "currency": "USD",
    "source": "004_eb63256c55ea4df9.txt",
    "locations": [("Peru",)],
    "fundings": [{"funder": "Huairou", "amount": None, "currency": "USD"}],
    "partners": [
        ("CONAMOVIDI", 2, "National confederation"),
        ("CONAMOVIDI-LIM", 4, ""),
        ("CONAMOVIDI-PIU", 4, ""),
        ("CONAMOVIDI-ARE", 4, ""),
        ("GROOTS", 4, "Works jointly with CONAMOVIDI with the Huairou Commission's funding"),
    ],
    "beneficiary_groups": [
        {
            "name": "Women leaders of CONAMOVIDI",
            "description": "The operation of the organization is sustained by the proactivity of 380 women.",
            "estimated_size": 380,
            "women_share": D("1"),
        },
        {"name": "Families fed by the soup kitchens"},
    ],
    "results": [
        (
            "1",
            "objective",
            "Leadership strengthening, governance and community resilience, and women's empowerment as agents of change",
            None,
        ),
        ("1.1", "outcome", "Women leaders sustain the organisation at every level", "1"),
        ("1.2", "outcome", "Soup kitchens provide low-cost food support", "1"),
    ],
    "indicators": [
        {
            "code": "CN-1",
            "counts_people_reached": True,
            "name": "Women leaders sustaining the organisation",
            "description": (
                "380 women: 250 represent the soup kitchens, 80 are promoters of violence "
                "prevention, 30 of environmental and community resilience and 18 of anti-COVID "
                "in neighbourhood committees. The four roles add up to 378, so they are not "
                "taken as covering every leader."
            ),
            "result": "1.1",
            "beneficiary_group": "Women leaders of CONAMOVIDI",
            "unit": "women",
            "aggregation": "latest",
            "target_value": D(380),
            "dimensions": [("leader-role", False)],
            "category_targets": [
                ("leader-role", "soup-kitchen", D(250), None),
                ("leader-role", "violence-prevention", D(80), None),
                ("leader-role", "environment", D(30), None),
                ("leader-role", "anti-covid", D(18), None),
            ],
        },
        {
            "code": "CN-2",
            "name": "Meals served by the soup kitchens",
            "description": "Reported by each soup kitchen; the document sets no target.",
            "result": "1.2",
            "beneficiary_group": "Families fed by the soup kitchens",
            "unit": "meals",
        },
        {
            "code": "CN-3",
            "name": "Families newly supported by the soup kitchens",
            "description": "Reported by each soup kitchen; the document sets no target.",
            "result": "1.2",
            "beneficiary_group": "Families fed by the soup kitchens",
            "unit": "families",
        },
    ],
    "progress": [
        {
            "indicator": "CN-2",
            "as_of": date(2026, 3, 31),
            "value": D(5400),
            "organisation": "CK-LIM-1",
        },
        {
            "indicator": "CN-2",
            "as_of": date(2026, 3, 31),
            "value": D(4100),
            "organisation": "CK-LIM-2",
        },
        {
            "indicator": "CN-2",
            "as_of": date(2026, 3, 31),
            "value": D(3900),
            "organisation": "CK-PIU-1",
        },
        {
            "indicator": "CN-2",
            "as_of": date(2026, 3, 31),
            "value": D(2700),
            "organisation": "CK-ARE-1",
        },
        {
            "indicator": "CN-3",
            "as_of": date(2026, 3, 31),
            "value": D(60),
            "organisation": "CK-LIM-1",
        },
        {
            "indicator": "CN-3",
            "as_of": date(2026, 3, 31),
            "value": D(45),
            "organisation": "CK-PIU-1",
        },
        {
            "indicator": "CN-1",
            "as_of": date(2026, 3, 31),
            "value": D(372),
            "parts": {
                ("leader-role", "soup-kitchen"): D(246),
                ("leader-role", "violence-prevention"): D(80),
                ("leader-role", "environment"): D(28),
                ("leader-role", "anti-covid"): D(18),
            },
        },
    ],
}
