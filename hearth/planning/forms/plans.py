"""Forms of case plans and safety plans. They check types and choices; the rules are the
services' (hearth.planning.services.plans), whose errors come back onto these fields.

The draft editor (PlanEditor) is not a Django form: a plan is goals -> objectives -> steps
of any number, so its inputs are named by the same paths the services name in their
refusals (`goals.0.objectives.1.steps.2.due_on`), and a refusal lands on its input. It
shows blank rows; buttons that post back add more (no script: CSP)."""

from datetime import date

from django import forms

from hearth.core.forms import DATE_INPUT_FORMATS, DateField, UsaFormMixin
from hearth.planning.models import (
    ActionStep,
    Goal,
    PlanSignature,
    SafetyMeasure,
    SafetyPlan,
    StepProgress,
)

BLANK = [("", "—")]


class AdoptForm(UsaFormMixin, forms.Form):
    """C5: the family team meeting at which the draft is adopted."""

    meeting = forms.ChoiceField(label="Family team meeting")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, meetings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].choices = BLANK + [
            (str(m.pk), f"{m.held_on:%Y-%m-%d}: {m.decisions[:60]}") for m in meetings
        ]


class ApproveForm(UsaFormMixin, forms.Form):
    note = forms.CharField(widget=forms.Textarea, required=False, label="Approval note")
    version = forms.IntegerField(widget=forms.HiddenInput)


class SignForm(UsaFormMixin, forms.Form):
    """A participant signs, or declines (the disagreement, in their words, recorded)."""

    signature = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    signed_on = DateField(label="Date")
    method = forms.ChoiceField(
        choices=BLANK + PlanSignature.Method.choices, required=False, label="How signed"
    )
    signed_as = forms.CharField(
        required=False, max_length=200, label="Electronic: the participant types their name"
    )
    agrees = forms.BooleanField(required=False, initial=True, label="Agrees with the plan")
    declined = forms.BooleanField(required=False, label="Declined to sign")
    disagreement = forms.CharField(
        widget=forms.Textarea, required=False, label="Disagreement, in their own words"
    )
    language = forms.ChoiceField(choices=[("en", "English"), ("es", "Español")], initial="en")


class ProgressForm(UsaFormMixin, forms.Form):
    """P9: progress on a step, at a visit, a review or a meeting."""

    step = forms.IntegerField(widget=forms.HiddenInput)
    recorded_on = DateField(label="On")
    status = forms.ChoiceField(choices=StepProgress.Status.choices)
    at = forms.ChoiceField(choices=StepProgress.At.choices, label="Recorded at")
    note = forms.CharField(required=False, label="Note")


class SafetyPlanForm(UsaFormMixin, forms.Form):
    kind = forms.ChoiceField(choices=SafetyPlan.Kind.choices)
    made_on = DateField(label="Made on")
    threats = forms.CharField(widget=forms.Textarea, label="The safety threats it controls")
    rows = forms.IntegerField(widget=forms.HiddenInput, initial=4)


class MeasureForm(UsaFormMixin, forms.Form):
    kind = forms.ChoiceField(choices=BLANK + SafetyMeasure.Kind.choices, required=False)
    what = forms.CharField(required=False, label="What is done")
    who = forms.CharField(required=False, max_length=200, label="Who")
    when = forms.CharField(required=False, max_length=200, label="When")

    def measure(self) -> dict | None:
        d = self.cleaned_data
        if not any(d.get(k) for k in ("kind", "what", "who", "when")):
            return None
        return {k: d.get(k) or "" for k in ("kind", "what", "who", "when")}


class EndSafetyPlanForm(UsaFormMixin, forms.Form):
    ended_on = DateField(label="Ended on")
    reason = forms.CharField(required=False, label="Why")
    version = forms.IntegerField(widget=forms.HiddenInput)


# --- The draft editor ---------------------------------------------------------------------

STEP_FIELDS = ("who", "who_name", "what", "due_on", "outcome")
OBJECTIVE_FIELDS = ("statement", "target_on", "measure")


def _date(raw: str):
    """A date typed or picked; the raw text when it is not one (refused by the caller)."""
    raw = (raw or "").strip()
    if not raw:
        return None
    from datetime import datetime

    for fmt in DATE_INPUT_FORMATS:
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    return raw


def _count(post, prefix: str) -> int:
    """How many rows under `prefix` the page posted (`<prefix>.N.` inputs)."""
    n = 0
    while any(k.startswith(f"{prefix}.{n}.") for k in post):
        n += 1
    return n


class PlanEditor:
    """The draft's content as posted (or read from the plan), its rows, and the errors the
    service named by path. `action`: "save", or a button that adds a row."""

    def __init__(self, *, data: dict, needs=(), parents=(), visitation_plans=()):
        self.data = data  # path -> raw value
        self.errors: dict[str, str] = {}
        self.needs = list(needs)
        self.parents = list(parents)
        self.visitation_plans = list(visitation_plans)
        self._gmap, self._omap, self._smap, self._rmap, self._pmap = {}, {}, {}, {}, {}

    # Building the data ------------------------------------------------------------------

    @classmethod
    def from_plan(cls, plan, goals, responses, parenting, **kw):
        data = {
            "permanency_goal": plan.permanency_goal,
            "summary": plan.summary,
            "trauma_approach": plan.trauma_approach,
            "family_supports": plan.family_supports,
            "version": str(plan.version),
        }
        index = {}
        for i, g in enumerate(goals):
            data[f"goals.{i}.area"] = g.area
            data[f"goals.{i}.statement"] = g.statement
            index[("g", g.pk)] = f"g:{i}"
            for j, o in enumerate(g.objectives.all()):
                index[("o", o.pk)] = f"o:{i}.{j}"
                for name in OBJECTIVE_FIELDS:
                    data[f"goals.{i}.objectives.{j}.{name}"] = _text(getattr(o, name))
                for k, s in enumerate(o.steps.all()):
                    for name in STEP_FIELDS:
                        data[f"goals.{i}.objectives.{j}.steps.{k}.{name}"] = _text(getattr(s, name))
        for r in responses:
            answer = index.get(("o", r.objective_id)) or index.get(("g", r.goal_id)) or ""
            data[f"need.{r.rating_id}.answer"] = answer
            data[f"need.{r.rating_id}.reason"] = r.not_addressed_reason
        for t in parenting:
            data[f"parent.{t.parent_id}.arrangements"] = t.arrangements
            data[f"parent.{t.parent_id}.behaviours_assessed"] = t.behaviours_assessed
            data[f"parent.{t.parent_id}.visitation_plan"] = _text(t.visitation_plan_id)
        editor = cls(data=data, **kw)
        editor.ensure_rows()
        return editor

    @classmethod
    def from_post(cls, post, **kw):
        data = {k: v for k, v in post.items() if k != "csrfmiddlewaretoken"}
        editor = cls(data=data, **kw)
        action = post.get("action", "save")
        if action == "add_goal":
            editor.add_goal()
        elif action.startswith("add_objective:"):
            editor.add_objective(int(action.split(":")[1]))
        elif action.startswith("add_step:"):
            i, j = action.split(":")[1].split(".")
            editor.add_step(int(i), int(j))
        editor.action = action
        return editor

    def _goal_count(self):
        return _count(self.data, "goals")

    def add_goal(self):
        i = self._goal_count()
        self.data[f"goals.{i}.statement"] = ""
        self.add_objective(i)

    def add_objective(self, i):
        j = _count(self.data, f"goals.{i}.objectives")
        self.data[f"goals.{i}.objectives.{j}.statement"] = ""
        self.add_step(i, j)

    def add_step(self, i, j):
        k = _count(self.data, f"goals.{i}.objectives.{j}.steps")
        self.data[f"goals.{i}.objectives.{j}.steps.{k}.what"] = ""

    def ensure_rows(self):
        if self._goal_count() == 0:
            self.add_goal()

    # Reading it for the service -----------------------------------------------------------

    def _blank(self, prefix: str) -> bool:
        return not any(
            (v or "").strip() for k, v in self.data.items() if k.startswith(prefix + ".")
        )

    def content(self) -> dict:
        """The service's arguments; blank rows dropped (their indexes then close up, as
        the page shows them again from the saved plan). Bad dates land in `errors`."""
        d = self.data
        goals, keep = [], {}
        self._gmap, self._omap, self._smap, self._rmap, self._pmap = {}, {}, {}, {}, {}
        for i in range(self._goal_count()):
            gp = f"goals.{i}"
            if self._blank(gp):
                continue
            objectives = []
            for j in range(_count(d, f"{gp}.objectives")):
                op = f"{gp}.objectives.{j}"
                if self._blank(op):
                    continue
                steps = []
                for k in range(_count(d, f"{op}.steps")):
                    sp = f"{op}.steps.{k}"
                    if self._blank(sp):
                        continue
                    step = {name: d.get(f"{sp}.{name}", "").strip() for name in STEP_FIELDS}
                    step["due_on"] = self._date_at(f"{sp}.due_on")
                    step["who_person"] = None
                    self._smap[(len(goals), len(objectives), len(steps))] = (i, j, k)
                    steps.append(step)
                objectives.append(
                    {
                        "statement": d.get(f"{op}.statement", "").strip(),
                        "target_on": self._date_at(f"{op}.target_on"),
                        "measure": d.get(f"{op}.measure", "").strip()[:300],
                        "steps": steps,
                    }
                )
                keep[f"o:{i}.{j}"] = (len(goals), len(objectives) - 1)
                self._omap[(len(goals), len(objectives) - 1)] = (i, j)
            keep[f"g:{i}"] = (len(goals), None)
            self._gmap[len(goals)] = i
            goals.append(
                {
                    "area": d.get(f"{gp}.area", ""),
                    "statement": d.get(f"{gp}.statement", "").strip(),
                    "person": None,
                    "objectives": objectives,
                }
            )
        responses = []
        for n in self.needs:
            answer = d.get(f"need.{n.pk}.answer", "")
            reason = d.get(f"need.{n.pk}.reason", "").strip()
            if not answer and not reason:
                continue
            gi, oj = keep.get(answer, (None, None))
            self._rmap[len(responses)] = n.pk
            responses.append(
                {"rating": n.pk, "goal": gi, "objective": oj, "not_addressed_reason": reason}
            )
        parenting = []
        plans = {str(v.pk): v for v in self.visitation_plans}
        for p in self.parents:
            arrangements = d.get(f"parent.{p.pk}.arrangements", "").strip()
            behaviours = d.get(f"parent.{p.pk}.behaviours_assessed", "").strip()
            vp = plans.get(d.get(f"parent.{p.pk}.visitation_plan", ""))
            if not (arrangements or behaviours or vp):
                continue
            self._pmap[len(parenting)] = p.pk
            parenting.append(
                {
                    "parent": p,
                    "arrangements": arrangements,
                    "behaviours_assessed": behaviours,
                    "visitation_plan": vp,
                }
            )
        return {
            "permanency_goal": d.get("permanency_goal", "").strip()[:200],
            "summary": d.get("summary", "").strip(),
            "trauma_approach": d.get("trauma_approach", "").strip(),
            "family_supports": d.get("family_supports", "").strip(),
            "goals": goals,
            "need_responses": responses,
            "parenting_time": parenting,
        }

    def _date_at(self, path: str):
        value = _date(self.data.get(path, ""))
        if isinstance(value, str):
            self.errors[path] = "Enter a date (YYYY-MM-DD)."
            return None
        return value

    def version(self) -> int | None:
        try:
            return int(self.data.get("version", ""))
        except ValueError:
            return None

    def add_errors(self, errors: dict[str, str]) -> None:
        """The service's refusals. Paths of the content as saved (blank rows dropped) may
        differ from the page's rows: a refusal that names a path the page does not show
        goes to the top of the form."""
        for path, reason in errors.items():
            self.errors.setdefault(self._page_path(path), reason)

    def _page_path(self, path: str) -> str:
        """A path of the content as saved, as the page's row (blank rows were dropped)."""
        parts = path.split(".")
        try:
            if parts[0] == "need_responses" and len(parts) >= 3:
                field = "reason" if parts[2] == "not_addressed_reason" else "answer"
                return f"need.{self._rmap[int(parts[1])]}.{field}"
            if parts[0] == "parenting_time" and len(parts) >= 3:
                field = parts[2] if parts[2] != "parent" else "arrangements"
                return f"parent.{self._pmap[int(parts[1])]}.{field}"
            if parts[0] == "goals" and len(parts) >= 6 and parts[4] == "steps":
                i, j, k = self._smap[(int(parts[1]), int(parts[3]), int(parts[5]))]
                return ".".join(
                    ["goals", str(i), "objectives", str(j), "steps", str(k), *parts[6:]]
                )
            if parts[0] == "goals" and len(parts) >= 4 and parts[2] == "objectives":
                i, j = self._omap[(int(parts[1]), int(parts[3]))]
                return ".".join(["goals", str(i), "objectives", str(j), *parts[4:]])
            if parts[0] == "goals" and len(parts) >= 2:
                return ".".join(["goals", str(self._gmap[int(parts[1])]), *parts[2:]])
        except (KeyError, ValueError, AttributeError):
            return path
        return path

    # Showing it ---------------------------------------------------------------------------

    def _field(self, path, label, kind="text", choices=None, rows=2):
        return {
            "name": path,
            "id": "f-" + path.replace(".", "-"),
            "label": label,
            "value": self.data.get(path, ""),
            "error": self.errors.get(path, ""),
            "kind": kind,
            "choices": choices or [],
            "rows": rows,
        }

    def rows(self) -> dict:
        """What the template shows: fields with their values and errors, row by row."""
        d = self.data
        goals = []
        answer_choices = [("", "—")]
        for i in range(self._goal_count()):
            gp = f"goals.{i}"
            answer_choices.append((f"g:{i}", f"Goal {i + 1}"))
            objectives = []
            for j in range(_count(d, f"{gp}.objectives")):
                op = f"{gp}.objectives.{j}"
                answer_choices.append((f"o:{i}.{j}", f"Objective {i + 1}.{j + 1}"))
                steps = [
                    {
                        "label": f"Step {i + 1}.{j + 1}.{k + 1}",
                        "fields": [
                            self._field(
                                f"{op}.steps.{k}.who",
                                "Who (C2)",
                                "select",
                                BLANK + ActionStep.Who.choices,
                            ),
                            self._field(f"{op}.steps.{k}.who_name", "Their name"),
                            self._field(f"{op}.steps.{k}.what", "Does what", "textarea"),
                            self._field(f"{op}.steps.{k}.due_on", "By when", "date"),
                            self._field(
                                f"{op}.steps.{k}.outcome",
                                "Expected outcome (a behaviour anyone can see)",
                                "textarea",
                            ),
                        ],
                        "errors": [v for p, v in self.errors.items() if p == f"{op}.steps.{k}"],
                    }
                    for k in range(_count(d, f"{op}.steps"))
                ]
                objectives.append(
                    {
                        "label": f"Objective {i + 1}.{j + 1}",
                        "add": f"add_step:{i}.{j}",
                        "error": self.errors.get(f"{op}.steps", ""),
                        "fields": [
                            self._field(f"{op}.statement", "Objective", "textarea"),
                            self._field(f"{op}.target_on", "Target date", "date"),
                            self._field(f"{op}.measure", "How progress is measured (P9)"),
                        ],
                        "steps": steps,
                    }
                )
            goals.append(
                {
                    "label": f"Goal {i + 1}",
                    "add": f"add_objective:{i}",
                    "error": self.errors.get(f"{gp}.objectives", ""),
                    "fields": [
                        self._field(f"{gp}.area", "Area", "select", BLANK + Goal.Area.choices),
                        self._field(
                            f"{gp}.statement", "The change in behaviour achieved", "textarea"
                        ),
                    ],
                    "objectives": objectives,
                }
            )
        needs = [
            {
                "need": n,
                "fields": [
                    self._field(f"need.{n.pk}.answer", "Answered by", "select", answer_choices),
                    self._field(f"need.{n.pk}.reason", "Or why not now"),
                ],
            }
            for n in self.needs
        ]
        vp_choices = BLANK + [
            (str(v.pk), f"Visitation plan of {v.child.full_name}, {v.made_on:%Y-%m-%d}")
            for v in self.visitation_plans
        ]
        parents = [
            {
                "parent": p,
                "fields": [
                    self._field(
                        f"parent.{p.pk}.arrangements",
                        "When, where, how often, who supervises",
                        "textarea",
                    ),
                    self._field(
                        f"parent.{p.pk}.behaviours_assessed",
                        "Activities and behaviours assessed",
                        "textarea",
                    ),
                    self._field(
                        f"parent.{p.pk}.visitation_plan",
                        "Linked visitation plan",
                        "select",
                        vp_choices,
                    ),
                ],
            }
            for p in self.parents
        ]
        shown = {f["name"] for f in _all_fields(goals, needs, parents)}
        general = [
            self._field("permanency_goal", "Permanency goal"),
            self._field("summary", "What must change, in the family's words", "textarea"),
            self._field("trauma_approach", "How past trauma is addressed", "textarea"),
            self._field("family_supports", "Support for taking part", "textarea"),
        ]
        shown |= {f["name"] for f in general}
        other = [
            f"{p}: {v}"
            for p, v in self.errors.items()
            if p not in shown and not any(p == f"{x}" for x in _container_paths(goals))
        ]
        return {
            "general": general,
            "goals": goals,
            "needs": needs,
            "parents": parents,
            "other_errors": other,
            "version": self.data.get("version", ""),
        }


def _all_fields(goals, needs, parents):
    for g in goals:
        yield from g["fields"]
        for o in g["objectives"]:
            yield from o["fields"]
            for s in o["steps"]:
                yield from s["fields"]
    for n in needs:
        yield from n["fields"]
    for p in parents:
        yield from p["fields"]


def _container_paths(goals):
    for i, g in enumerate(goals):
        yield f"goals.{i}.objectives"
        for j, _o in enumerate(g["objectives"]):
            yield f"goals.{i}.objectives.{j}.steps"


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
