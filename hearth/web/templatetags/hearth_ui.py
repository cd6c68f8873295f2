"""Small presentation helpers for Hearth templates (no queries, no rules)."""

from django import forms, template
from django.utils import timezone

register = template.Library()

# Children first, then parents, then caregivers and the rest of the household.
FAMILY_ORDER = {"child": 0, "sibling": 1, "parent": 2, "caregiver": 3, "household_member": 4}


@register.filter
def family_order(members):
    """Case members in family order: children, siblings, parents, caregivers, others;
    by name within each role. Sorts in memory: no query."""
    return sorted(
        members,
        key=lambda m: (
            FAMILY_ORDER.get(m.role, 9),
            m.person.last_name.lower(),
            m.person.first_name.lower(),
        ),
    )


@register.filter
def age(person):
    """Age in whole years today, or None when the date of birth is unknown."""
    return person.age_on(timezone.localdate())


@register.simple_tag
def usa_widget(field):
    """Render a bound field's widget with the USWDS error style when it has errors."""
    widget = field.field.widget
    css = widget.attrs.get("class", "")
    if field.errors and not isinstance(widget, forms.CheckboxInput):
        css = f"{css} usa-input--error".strip()
    return field.as_widget(attrs={"class": css} if css else None)
