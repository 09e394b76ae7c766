"""What every set-up form shares: service errors shown where they belong, and date inputs."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError


def attach(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal on the form: on the field it names when the form has it, at
    the top otherwise."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for field, messages in error.message_dict.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def date_field(label: Any, required: bool = True, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"],
        widget=DateInput(),
        **kwargs,
    )
