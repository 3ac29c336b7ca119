"""Forms of the MLA pages. Types are checked here; the rules live in actions.py."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from tipnet.lib.text import CleanTextForm

from . import actions, lifecycle
from .actions import PERSON_FIELDS, STEP_FIELDS
from .enums import Basis, Direction, PartyStatus, RefusalGround, State, grounds_for
from .measures import MEASURES
from .models import MlaPerson, MlaRequest

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class WithTestIds:
    """Gives every widget `data-testid="field-<name>"`, how browser tests find them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs["data-testid"] = f"field-{name}"


def _basis_label(code: str) -> str:
    return str(dict(Basis.choices).get(code, code))


def step_form(step: str):
    """A ModelForm class for the request fields of one wizard step."""
    widgets: dict[str, forms.Widget] = {n: TEXTAREA for n in STEP_FIELDS[step] if _is_text(n)}
    widgets["deadline"] = forms.DateInput(attrs={"type": "date"})
    meta = type("Meta", (), {"model": MlaRequest, "fields": STEP_FIELDS[step], "widgets": widgets})
    return type(
        f"{step.title()}Form", (CleanTextForm, WithTestIds, forms.ModelForm), {"Meta": meta}
    )


def _is_text(name: str) -> bool:
    return MlaRequest._meta.get_field(name).get_internal_type() == "TextField"


class StateForm(CleanTextForm, WithTestIds, forms.Form):
    requested_state = forms.ChoiceField(label=_("Requested state"))
    requested_authority = forms.CharField(
        label=_("Requested authority"), max_length=300, required=False
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requested_state"].choices = [("", "—"), *choices]


class BasisForm(CleanTextForm, WithTestIds, forms.Form):
    legal_basis = forms.ChoiceField(label=_("Legal basis"), widget=forms.RadioSelect)

    def __init__(self, *args, options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["legal_basis"].choices = [(o.code, _basis_label(o.code)) for o in options]


CHECK_REFERENCE = RegexValidator(
    rf"^{actions.CHECK_REFERENCE.pattern}$", _("Not a check's reference.")
)


class NewRequestForm(CleanTextForm, WithTestIds, forms.Form):
    case = forms.IntegerField(widget=forms.HiddenInput)
    requested_state = forms.ChoiceField(label=_("Requested state"))
    # Set when the draft starts from a check's hit: quoted in the facts for the requested state.
    check_reference = forms.CharField(
        required=False, max_length=64, widget=forms.HiddenInput, validators=[CHECK_REFERENCE]
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requested_state"].choices = [("", "—"), *choices]


def measure_form(kind: str):
    """A form with the fields of one measure module."""
    fields = {
        f.name: forms.CharField(
            label=f.label,
            required=f.required,
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 2}),
        )
        for f in MEASURES[kind].fields
    }
    return type(f"{kind.title()}MeasureForm", (WithTestIds, forms.Form), fields)


class PersonForm(CleanTextForm, WithTestIds, forms.ModelForm):
    class Meta:
        model = MlaPerson
        fields = PERSON_FIELDS


class FromCaseForm(CleanTextForm, WithTestIds, forms.Form):
    case_person = forms.ChoiceField(label=_("Person of the case"))

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_person"].choices = [
            (r.pk, f"{r.person.full_name} ({r.get_role_display()})") for r in rows
        ]


class TransitionForm(CleanTextForm, WithTestIds, forms.Form):
    """The fields one transition asks for, built from the lifecycle table."""

    def __init__(
        self, *args, transition: lifecycle.Transition, request_obj=None, remote=False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        # `remote`: the form records the other state's step, so its reference is theirs.
        labels = {**TRANSITION_FIELD_LABELS, **(REMOTE_FIELD_LABELS if remote else {})}
        for name in (*transition.required, *transition.optional):
            required = name in transition.required
            field: forms.Field
            if name == "ground":
                codes = grounds_for(request_obj.legal_basis if request_obj else "")
                grounds = dict(RefusalGround.choices)
                choices = [(c, grounds.get(c, c)) for c in codes]
                field = forms.ChoiceField(label=labels[name], choices=choices)
            elif name == "review_on":
                field = forms.DateField(
                    label=labels[name], widget=forms.DateInput(attrs={"type": "date"})
                )
            else:
                field = forms.CharField(
                    label=labels[name],
                    required=required,
                    max_length=20000,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
            field.required = required
            self.fields[name] = field
        if transition.name in ("report_partial", "report_executed") and not remote:
            self.fields["file"] = forms.FileField(label=_("Result file"), required=False)


REMOTE_FIELD_LABELS = {"counterpart_ref": _("Their reference")}

TRANSITION_FIELD_LABELS = {
    "counterpart_ref": _("Your reference"),
    "missing": _("Missing elements"),
    "questions": _("Questions"),
    "information": _("Information"),
    "subject": _("Subject of the consultation"),
    "outcome": _("Outcome"),
    "note": _("Note"),
    "reason": _("Reason"),
    "review_on": _("Review on"),
    "summary": _("Summary of the results"),
    "use_restrictions": _("Use restrictions"),
    "ground": _("Ground of refusal"),
    "reasons": _("Reasons"),
    "no_consultation_reason": _("Why no consultation was possible"),
}


class RegisterFilterForm(CleanTextForm, forms.Form):
    direction = forms.ChoiceField(choices=Direction.choices, required=False)
    state = forms.ChoiceField(label=_("State"), choices=[("", "—"), *State.choices], required=False)
    country = forms.CharField(label=_("Counterpart country"), max_length=2, required=False)
    q = forms.CharField(label=_("Reference"), max_length=80, required=False)

    def clean_country(self):
        value = self.cleaned_data["country"].upper()
        if value and not value.isalpha():
            raise ValidationError(_("Two letters."))
        return value


class StatusForm(CleanTextForm, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=PartyStatus.choices)
    date = forms.DateField(label=_("Date"), required=False)
    source = forms.CharField(label=_("Source"), max_length=500)
    is_verified = forms.BooleanField(label=_("Verified"), required=False)


class DeadlinesForm(CleanTextForm, forms.Form):
    acknowledge = forms.IntegerField(
        label=_("Acknowledge within (days)"), min_value=1, max_value=3650
    )
    decide = forms.IntegerField(label=_("Decide within (days)"), min_value=1, max_value=3650)
    execute = forms.IntegerField(label=_("Execute within (days)"), min_value=1, max_value=3650)
