"""What has been achieved is worded once (indicators.wording.achieved) for every page."""

from decimal import Decimal

import pytest
from django.utils import translation

from indicators import wording


@pytest.mark.parametrize(
    ("figures", "words"),
    [
        ({"measure": "count", "counted": 0, "value": None}, "nothing reported yet"),
        ({"measure": "count", "counted": 0, "value": Decimal(5)}, "nothing reported yet"),
        ({"measure": "qualitative", "counted": 2, "value": None}, "reported"),
        ({"measure": "qualitative", "counted": 2, "value": Decimal(7)}, "reported"),
        ({"measure": "milestone", "counted": 1, "value": Decimal(1)}, "done"),
        ({"measure": "milestone", "counted": 1, "value": Decimal(0)}, "not done yet"),
        (
            {
                "measure": "percentage",
                "counted": 2,
                "value": Decimal(60),
                "numerator": Decimal(3),
                "denominator": Decimal(5),
            },
            "60 % (3 of 5)",
        ),
        ({"measure": "percentage", "counted": 1, "value": Decimal("62.5")}, "62.5 %"),
        (
            {"measure": "count", "counted": 3, "value": Decimal(160), "unit": "women"},
            "160 women",
        ),
        (
            {"measure": "amount", "counted": 1, "value": Decimal("16322.5"), "unit": "EUR"},
            "16,322.5 EUR",
        ),
    ],
)
def test_each_measure_has_its_words(figures, words):
    with translation.override("en"):
        assert wording.achieved(**figures) == words


def test_the_words_follow_the_readers_language():
    with translation.override("es"):
        assert wording.achieved(measure="count", counted=0, value=None) == "aún sin reportes"
