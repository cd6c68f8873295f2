"""The jurisdiction's policy settings page (issue 15): the program director (or an
administrator, for any agency) reads and changes the agency's settings in a form, one field
per setting of hearth.policy.settings, as `PUT /api/v1/agencies/{code}/policy` does: the
same service (hearth.staff.services.agency_set_policy) and the same validation
(hearth.policy.settings), each problem shown by its field, nothing saved on a refusal, the
change in the agency's history."""

import json
import re
from dataclasses import fields

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from hearth.core.errors import DomainError, Forbidden
from hearth.core.forms import add_domain_errors
from hearth.policy.settings import DEFAULTS, PolicySettings, problems_by_setting
from hearth.staff import access as staff_access
from hearth.staff import services

NAMES = [f.name for f in fields(PolicySettings)]
WHOLE = re.compile(r"[0-9]{1,9}")


def _shown(value) -> str:
    """A setting's value as typed in its field: lists as JSON, numbers and words as such."""
    return json.dumps(value) if isinstance(value, list | tuple) else str(value)


def _typed(name: str, text: str):
    """The value a field's text stands for, as the API would receive it: a whole number,
    a list (JSON), or the words; what cannot be read is passed on as typed, for the
    policy's validation to refuse with its reason."""
    default = getattr(DEFAULTS, name)
    if isinstance(default, int):
        return int(text) if WHOLE.fullmatch(text) else text
    if isinstance(default, tuple):
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


def _plain(value):
    return json.loads(json.dumps(value))


class PolicyForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, agency, **kwargs):
        effective = agency.policy.as_dict()
        initial = {name: _shown(effective[name]) for name in NAMES}
        initial["version"] = agency.version
        super().__init__(*args, initial=initial, **kwargs)
        for name in NAMES:
            self.fields[name] = forms.CharField(
                label=name.replace("_", " ").capitalize(),
                required=False,
                max_length=2000,
                help_text=f"{name}; default {_shown(getattr(DEFAULTS, name))}. Empty: the default.",
            )
            self.fields[name].widget.attrs["class"] = "usa-input"

    def overrides(self) -> dict:
        """The settings that depart from the defaults (an empty field: the default)."""
        out = {}
        for name in NAMES:
            text = (self.cleaned_data.get(name) or "").strip()
            if not text:
                continue
            value = _typed(name, text)
            if value != _plain(getattr(DEFAULTS, name)):
                out[name] = value
        return out


def _agency(request):
    """The signed-in director's agency, or (an administrator) the one named by ?agency."""
    managed = staff_access.managed_agencies(request.user)
    code = request.GET.get("agency")
    if code:
        agency = managed.filter(code=code[:20]).first()
    else:
        staff = staff_access.staff_for(request.user)
        agency = managed.filter(pk=staff.agency_id).first() if staff else None
    if agency is None:
        raise Forbidden()
    return agency


@login_required
@require_http_methods(["GET", "POST"])
def policy_settings(request):
    agency = _agency(request)
    status = 200
    if request.method == "POST":
        form = PolicyForm(request.POST, agency=agency)
        status = 422
        if form.is_valid():
            overrides = form.overrides()
            try:
                services.agency_set_policy(
                    actor=request.user,
                    agency=agency,
                    overrides=overrides,
                    version=form.cleaned_data["version"],
                )
                messages.success(request, "Policy settings saved.")
                return redirect(request.get_full_path())
            except DomainError as exc:
                by_setting = problems_by_setting(overrides)
                for name, problem in by_setting.items():
                    form.add_error(name, problem)
                if not by_setting:
                    add_domain_errors(form, exc)
                status = exc.status_code
    else:
        form = PolicyForm(agency=agency)
    history = agency.history.select_related("history_user").order_by("-history_date")[:10]
    return render(
        request,
        "web/policy_settings.html",
        {"agency": agency, "form": form, "history": history},
        status=status,
    )
