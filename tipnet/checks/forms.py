from django import forms
from django.utils.translation import gettext_lazy as _

from tipnet.lib.text import CleanTextForm

from .actions import ALL_NODES, POLICY_ROLES
from .models import Decision, Kind, LegalBasis, Sharing


class CheckForm(CleanTextForm, forms.Form):
    """Ask partner nodes about persons of one case."""

    persons = forms.MultipleChoiceField(
        label=_("Persons to check"), widget=forms.CheckboxSelectMultiple
    )
    nodes = forms.MultipleChoiceField(
        label=_("Partner nodes to ask"), widget=forms.CheckboxSelectMultiple
    )
    kind = forms.ChoiceField(label=_("Type of check"))
    legal_basis = forms.ChoiceField(
        label=_("Legal basis"), choices=[("", "—"), *LegalBasis.choices]
    )
    consent = forms.ChoiceField(
        label=_("Victim's consent to checks with partner countries (missing-person checks)"),
        required=False,
        help_text=_("Recorded in the victims register; a withdrawn consent does not count."),
    )

    def __init__(self, *args, rows=(), partners=(), kinds=(), consents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persons"].choices = [
            (str(r.pk), f"{r.person.full_name} ({r.get_role_display()})") for r in rows
        ]
        self.fields["nodes"].choices = [(ALL_NODES, _("All partner nodes"))] + [
            (n, n) for n in partners
        ]
        self.fields["kind"].choices = [(k, Kind(k).label) for k in kinds]
        self.fields["consent"].choices = [("", "—")] + [
            (
                str(c.pk),
                f"{c.victim.code}: {c.victim.given_name} {c.victim.family_name}, "
                f"{c.given_on:%Y-%m-%d}",
            )
            for c in consents
        ]
        if list(kinds) == [Kind.PERSON]:
            del self.fields["consent"]


class PolicyForm(CleanTextForm, forms.Form):
    checkable_roles = forms.MultipleChoiceField(
        label=_("Roles other nodes' person checks may find"),
        choices=[(r.value, r.label) for r in POLICY_ROLES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Victims are never found by a person check."),
    )
    answer_missing = forms.BooleanField(
        label=_("Answer missing or trafficked person checks (victims)"), required=False
    )
    hold_hits = forms.BooleanField(
        label=_("Hold every hit for an officer's review before answering"), required=False
    )


class ReviewForm(CleanTextForm, forms.Form):
    decision = forms.ChoiceField(
        label=_("Review"),
        choices=[
            (Decision.CONFIRMED, Decision.CONFIRMED.label),
            (Decision.REJECTED, Decision.REJECTED.label),
        ],
    )


class SharingForm(CleanTextForm, forms.Form):
    sharing = forms.ChoiceField(
        label=_("What to share"),
        choices=[
            (Sharing.ON_REQUEST, Sharing.ON_REQUEST.label),
            (Sharing.NOT_SHARED, Sharing.NOT_SHARED.label),
        ],
    )
