"""The jit forms: each field checked here, the rules of the investigation in actions.py."""

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from tipnet.accounts.models import User
from tipnet.cases.models import Case
from tipnet.exchange.registry import RegistryError, current
from tipnet.lib.text import CleanTextForm

from .access import MEMBER_ROLES
from .enums import Kind, TaskStatus

DATE = forms.DateInput(attrs={"type": "date"})
TEXT = forms.Textarea(attrs={"rows": 3})


def partner_nodes() -> list[tuple[str, str]]:
    """The other member nodes of the network, as choices ("KG-GPO — agency (KG)")."""
    try:
        nodes = current().nodes.values()
    except RegistryError:
        return []
    return [
        (n.id, f"{n.id} — {n.agency} ({n.country})")
        for n in sorted(nodes, key=lambda n: n.id)
        if n.id != settings.TIPNET_NODE_ID and not n.revoked
    ]


class TextForm(CleanTextForm, forms.Form):
    """The negotiated text, shared by proposing and amending."""

    title = forms.CharField(label=_("Title"), max_length=200)
    purpose = forms.CharField(label=_("Purpose"), max_length=4000, widget=TEXT)
    period_start = forms.DateField(label=_("From"), widget=DATE)
    period_end = forms.DateField(label=_("Until"), widget=DATE)
    governing_law = forms.CharField(
        label=_("Law governing the gathering of evidence"),
        max_length=2000,
        required=False,
        widget=TEXT,
        initial=_("Each party gathers evidence under the law of its own State."),
    )
    confidentiality = forms.CharField(
        label=_("Confidentiality and data protection"),
        max_length=2000,
        required=False,
        widget=TEXT,
        initial=_("Information shared is used only for this investigation."),
    )
    victim_support = forms.CharField(
        label=_("Who protects and supports the victims"),
        max_length=2000,
        required=False,
        widget=TEXT,
    )
    costs = forms.CharField(
        label=_("Costs"),
        max_length=2000,
        required=False,
        widget=TEXT,
        initial=_("Each party bears its own costs."),
    )
    retention_days = forms.IntegerField(
        label=_("Days to return or delete the other parties' items after the end"),
        min_value=0,
        max_value=3650,
        initial=30,
        required=False,
        help_text=_("After them, what the other parties shared is no longer readable here."),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        return data


class ProposeForm(TextForm):
    kind = forms.ChoiceField(label=_("Form"), choices=Kind.choices, initial=Kind.PARALLEL)
    partner = forms.ChoiceField(label=_("Partner node"))
    partner_agency = forms.CharField(
        label=_("Partner agency code"),
        max_length=40,
        required=False,
        help_text=_("Leave empty for the partner node's own agency."),
    )
    partner_leader = forms.CharField(label=_("Partner's leader"), max_length=200, required=False)
    leader = forms.CharField(label=_("Our leader"), max_length=200, required=False)
    members_text = forms.CharField(
        label=_("Our members named in the agreement (one per line)"),
        required=False,
        widget=TEXT,
    )
    member_users = forms.ModelMultipleChoiceField(
        label=_("Users of this node who work the workspace"),
        queryset=User.objects.none(),
        required=False,
    )
    field_order = ["kind", "partner", "partner_agency", "partner_leader", "title", "purpose"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = partner_nodes()
        users = User.objects.filter(is_active=True, roles__role__in=MEMBER_ROLES).distinct()
        self.fields["member_users"].queryset = users.exclude(pk=getattr(user, "pk", None))

    def clean_members_text(self):
        names = [line.strip() for line in self.cleaned_data["members_text"].splitlines()]
        names = [name for name in names if name]
        if len(names) > 30 or any(len(name) > 200 for name in names):
            raise forms.ValidationError(_("At most 30 names of at most 200 characters."))
        return names


class ExtendForm(CleanTextForm, forms.Form):
    until = forms.DateField(label=_("Extended until"), widget=DATE)


class EndForm(CleanTextForm, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False, widget=TEXT)


class MemberForm(CleanTextForm, forms.Form):
    user = forms.ModelChoiceField(label=_("User"), queryset=User.objects.none())

    def __init__(self, *args, agreement=None, **kwargs):
        super().__init__(*args, **kwargs)
        users = User.objects.filter(is_active=True, roles__role__in=MEMBER_ROLES).distinct()
        if agreement is not None:
            users = users.exclude(pk__in=agreement.members.values("user"))
        self.fields["user"].queryset = users


class CaseForm(CleanTextForm, forms.Form):
    case = forms.ModelChoiceField(label=_("Our case"), queryset=Case.objects.none())

    def __init__(self, *args, cases=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases


class ShareForm(CleanTextForm, forms.Form):
    rows = forms.MultipleChoiceField(
        label=_("Persons of our case to share"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.by_pk = {str(row.pk): row for row in rows}
        self.fields["rows"].choices = [
            (
                str(row.pk),
                f"{row.person.full_name} — {row.get_role_display()}"
                + (f" · {row.get_chain_role_display()}" if row.chain_role else ""),
            )
            for row in rows
        ]

    def chosen(self) -> list:
        return [self.by_pk[pk] for pk in self.cleaned_data["rows"]]


class TaskForm(CleanTextForm, forms.Form):
    title = forms.CharField(label=_("Task"), max_length=300)
    owner = forms.CharField(label=_("Owner"), max_length=200, required=False)
    due = forms.DateField(label=_("Due"), required=False, widget=DATE)


class TaskStatusForm(CleanTextForm, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=TaskStatus.choices)


class NoteForm(CleanTextForm, forms.Form):
    held_on = forms.DateField(label=_("Meeting held on"), widget=DATE)
    text = forms.CharField(label=_("Notes"), max_length=8000, widget=TEXT)


class EvidenceForm(CleanTextForm, forms.Form):
    description = forms.CharField(label=_("Item"), max_length=300)
    sha256 = forms.CharField(
        label=_("SHA-256"),
        max_length=64,
        validators=[
            RegexValidator(r"^[0-9a-fA-F]{64}$", _("Enter the 64 hexadecimal digits of a SHA-256."))
        ],
    )
    collected_by = forms.CharField(label=_("Collected by"), max_length=200)
    collected_on = forms.DateField(label=_("Collected on"), widget=DATE)


class CustodyForm(CleanTextForm, forms.Form):
    to = forms.CharField(label=_("Passed into the custody of"), max_length=200)
    on = forms.DateField(label=_("On"), widget=DATE)


class StepForm(CleanTextForm, forms.Form):
    pair = forms.CharField(max_length=5)
    step = forms.CharField(max_length=60)
    done = forms.BooleanField(required=False)
