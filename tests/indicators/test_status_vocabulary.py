"""One vocabulary of indicator statuses: the pure module's enum, the order pages list them in,
the model's choices (and the words shown for them) and the API's enum agree."""

from dashboards.templatetags.portal import status_label
from indicators import progress
from indicators.models import IndicatorSnapshot


def test_the_enum_the_order_and_the_model_choices_hold_the_same_statuses():
    values = {status.value for status in progress.Status}
    assert set(progress.STATUS_ORDER) == values and len(progress.STATUS_ORDER) == len(values)
    choices = dict(IndicatorSnapshot._meta.get_field("status").choices)
    assert set(choices) == values
    assert set(progress.STATUS_VALUES) == values


def test_every_status_has_its_own_words():
    labels = [status_label(status) for status in progress.STATUS_ORDER]
    assert labels == ["Achieved", "On track", "At risk", "Off track", "Reported", "Not started"]
