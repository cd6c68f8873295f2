"""Small presentation helpers for Hearth templates (no queries, no rules)."""

from django import forms, template

from hearth.reports import homes

register = template.Library()


@register.simple_tag
def usa_widget(field):
    """Render a bound field's widget with the USWDS error style when it has errors."""
    widget = field.field.widget
    css = widget.attrs.get("class", "")
    if field.errors and not isinstance(widget, forms.CheckboxInput):
        css = f"{css} usa-input--error".strip()
    return field.as_widget(attrs={"class": css} if css else None)


@register.filter
def percent(value, empty="n/a (no children in the measure)"):
    """A share as "12%", or, with nothing to divide by (None), `empty` without a "%";
    0 is 0%."""
    return empty if value is None else f"{value}%"


@register.filter
def days_label(days_left: int) -> str:
    """An obligation's urgency in words: 'Overdue 12 days', 'Due today', 'Due in 3 days'."""
    return homes.days_label(days_left)
