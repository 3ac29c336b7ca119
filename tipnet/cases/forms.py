"""Forms of the cases pages. Rules that need the database live in the do_* actions; the forms
check types and shapes, and views copy an action's ValidationError back onto the form."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from tipnet.lib.text import CleanTextForm

from .enums import (
    ChainRole,
    Confidentiality,
    EventKind,
    ExploitationForm,
    GrantLevel,
    IdentifierKind,
    LegKind,
    Outcome,
    PersonRole,
    Sex,
    Stage,
    SuspectStatus,
)
from .validation import country_code, country_list, parse_partial_date


def _blank(label, choices):
    return [("", label), *choices]


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Copy an action's ValidationError onto `form`, on the matching field when there is one."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class MarkedForm(CleanTextForm, forms.Form):
    """Gives every input a data-testid ("field-<name>") for the browser tests."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("data-testid", f"field-{name}")


class CaseFilterForm(MarkedForm):
    q = forms.CharField(label=_("Reference or title"), required=False, max_length=100)
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=_blank(_("All stages"), Stage.choices)
    )
    form = forms.ChoiceField(
        label=_("Form of exploitation"),
        required=False,
        choices=_blank(_("All forms"), ExploitationForm.choices),
    )
    country = forms.CharField(label=_("Country on the route"), required=False, max_length=3)
    agency = forms.CharField(label=_("Agency code"), required=False, max_length=64)
    opened_from = forms.DateField(label=_("Opened from"), required=False)
    opened_to = forms.DateField(label=_("Opened until"), required=False)

    def clean_country(self) -> str:
        value = self.cleaned_data["country"]
        return country_code(value) if value else ""

    def values(self) -> dict:
        """The valid filters only: an invalid one is reported and ignored, not fatal."""
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v}


def parse_route(text: str) -> list[tuple[str, str]]:
    """Countries in travel order ("UZ KZ RU" or "UZ → KZ → RU"): first origin, last destination."""
    codes = country_list(re.sub(r"[→>\-]+", " ", text or ""))
    if not codes:
        if (text or "").strip():
            raise ValidationError(
                _("Write the route as country codes, such as UZ KZ RU."), code="route"
            )
        return []  # a blank route: not known yet
    if len(codes) == 1:
        return [(codes[0], LegKind.ORIGIN)]
    kinds = [LegKind.ORIGIN] + [LegKind.TRANSIT] * (len(codes) - 2) + [LegKind.DESTINATION]
    return list(zip(codes, kinds, strict=True))


class CaseForm(MarkedForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    offence_articles = forms.CharField(label=_("Offence articles"), max_length=200, required=False)
    exploitation_forms = forms.MultipleChoiceField(
        label=_("Forms of exploitation"),
        choices=ExploitationForm.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=20000,
    )
    confidentiality = forms.ChoiceField(
        label=_("Confidentiality"), choices=Confidentiality.choices, initial="confidential"
    )
    opened_on = forms.DateField(
        label=_("Opened on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    route = forms.CharField(
        label=_("Route"),
        required=False,
        max_length=200,
        help_text=_("Country codes in travel order, such as UZ KZ RU."),
    )

    def clean_route(self) -> list[tuple[str, str]]:
        return parse_route(self.cleaned_data["route"])


class PersonForm(MarkedForm):
    full_name = forms.CharField(
        label=_("Name as written"),
        max_length=200,
        help_text=_("In any script; the Latin form is shown as you type."),
        widget=forms.TextInput(
            attrs={
                "hx-get": reverse_lazy("cases:latin"),
                "hx-trigger": "input changed delay:200ms",
                "hx-target": "#latin-form",
                "autocomplete": "off",
            }
        ),
    )
    role = forms.ChoiceField(label=_("Role"), choices=PersonRole.choices)
    chain_role = forms.ChoiceField(
        label=_("Role in the chain (suspects)"),
        required=False,
        choices=_blank("—", ChainRole.choices),
    )
    status = forms.ChoiceField(
        label=_("Status (suspects)"), required=False, choices=_blank("—", SuspectStatus.choices)
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    birth = forms.CharField(
        label=_("Date of birth"),
        required=False,
        max_length=11,
        help_text=_("YYYY-MM-DD, YYYY-MM, YYYY or ~YYYY when estimated."),
    )
    citizenships = forms.CharField(
        label=_("Citizenships"), required=False, max_length=100, help_text=_("Such as UZ, KZ.")
    )
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    passport = forms.CharField(
        label=_("Passport number"),
        required=False,
        max_length=40,
        help_text=_("Issued by the first country of citizenship."),
    )

    def clean_birth(self):
        return parse_partial_date(self.cleaned_data["birth"])

    def clean_citizenships(self) -> list[str]:
        return country_list(self.cleaned_data["citizenships"])


class PersonLinkForm(MarkedForm):
    """Gives a person already recorded (in another case) a role in this case."""

    person_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    role = forms.ChoiceField(label=_("Role"), choices=PersonRole.choices)
    chain_role = forms.ChoiceField(
        label=_("Role in the chain (suspects)"),
        required=False,
        choices=_blank("—", ChainRole.choices),
    )


class SuspectForm(MarkedForm):
    chain_role = forms.ChoiceField(
        label=_("Role in the chain"), required=False, choices=_blank("—", ChainRole.choices)
    )
    status = forms.ChoiceField(label=_("Status"), choices=SuspectStatus.choices)


class IdentifierForm(MarkedForm):
    kind = forms.ChoiceField(label=_("Type"), choices=IdentifierKind.choices)
    value = forms.CharField(label=_("Value"), max_length=300)
    country = forms.CharField(label=_("Issuing country"), required=False, max_length=3)


class StageForm(MarkedForm):
    stage = forms.ChoiceField(label=_("New stage"), choices=Stage.choices)
    occurred_on = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    outcome = forms.ChoiceField(
        label=_("Outcome (when closing)"), required=False, choices=_blank("—", Outcome.choices)
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class EventForm(MarkedForm):
    kind = forms.ChoiceField(
        label=_("Type"), choices=[c for c in EventKind.choices if c[0] != EventKind.STAGE]
    )
    occurred_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class DocumentForm(MarkedForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"))


class PersonSearchForm(MarkedForm):
    q = forms.CharField(label=_("Name, phone or document number"), max_length=200, required=False)


class GrantForm(MarkedForm):
    agency = forms.CharField(label=_("Agency code"), required=False, max_length=64)
    username = forms.CharField(label=_("or user name"), required=False, max_length=150)
    level = forms.ChoiceField(label=_("Access"), choices=GrantLevel.choices)
    reason = forms.CharField(label=_("Reason"), max_length=300)
    expires_on = forms.DateField(
        label=_("Access until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The last day of access; leave empty for no end."),
    )


class TaskForm(MarkedForm):
    title = forms.CharField(label=_("Task"), max_length=200)
    # The queryset is the case's assignees, set per form (task_assignees).
    assignee: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Assignee"), queryset=None, empty_label=None
    )
    due_on = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, assignees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignees
        self.fields["assignee"].label_from_instance = lambda user: user.display_name()


class ImportForm(MarkedForm):
    file = forms.FileField(label=_("CSV or XLSX file"))
    dry_run = forms.BooleanField(label=_("Check only (dry run)"), required=False, initial=True)
