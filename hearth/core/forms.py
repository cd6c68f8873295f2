"""Shared form helpers: USWDS widgets, text limits, and a service's DomainError shown
next to the fields it names."""

from django import forms
from django.core.validators import MaxLengthValidator

from hearth.core.errors import LONG_TEXT_MAX, ConflictError, DomainError


def add_domain_errors(form: forms.Form, exc: DomainError) -> None:
    """Put each reason of `exc` on the form field it names. Reasons about a field the
    form does not show (or shows hidden, like `version`) go to the top of the form.

    On a version conflict the form keeps the user's entries, shows the other person's
    change (`form.conflict`: who, when, what) and now carries the current version, so
    that saving again applies the user's entries knowingly."""
    for field, message in exc.errors.items():
        shown = field in form.fields and not form.fields[field].widget.is_hidden
        form.add_error(field if shown else None, message)
    if isinstance(exc, ConflictError) and exc.change is not None:
        form.conflict = exc.change
        if "version" in form.fields and form.is_bound:
            data = form.data.copy()
            data[form.add_prefix("version")] = exc.change.version
            form.data = data


class VersionForm(forms.Form):
    """A button that changes a record (finalize, ...): the version the page showed."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class UsaFormMixin:
    """Give every widget the USWDS classes, and every text field a maximum length: a
    narrative or a reason without its own limit takes LONG_TEXT_MAX characters, as in
    the API."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and field.max_length is None:
                field.max_length = LONG_TEXT_MAX
                field.validators.append(MaxLengthValidator(LONG_TEXT_MAX))
                field.widget.attrs.update(field.widget_attrs(field.widget))
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "usa-checkbox__input")
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "usa-select")
            elif isinstance(widget, forms.Textarea):
                widget.attrs.setdefault("class", "usa-textarea")
                widget.attrs.setdefault("rows", 3)
            else:
                widget.attrs.setdefault("class", "usa-input")


class DateInput(forms.DateInput):
    """A native date picker; also accepts MM/DD/YYYY typed by hand."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


DATE_INPUT_FORMATS = ["%Y-%m-%d", "%m/%d/%Y"]


class DateField(forms.DateField):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", DateInput())
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        super().__init__(**kwargs)
