"""Forms of the victims pages. Actions re-check every rule; forms give field-level messages."""

from typing import TYPE_CHECKING

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tipnet.cases.access import case_opening_agencies
from tipnet.directory.models import Agency as DirectoryAgency
from tipnet.directory.models import Country
from tipnet.directory.validators import normalise_phone, validate_multiline, validate_single_line
from tipnet.lib.text import CleanTextForm

if TYPE_CHECKING:
    from tipnet.accounts.models import Agency as AccountsAgency

from .indicators import indicators
from .models import (
    Consent,
    Exploitation,
    HotlineCall,
    RepatriationPlan,
    ServiceDelivery,
    ServiceOffer,
    Status,
    Victim,
)

DATE = forms.DateInput(attrs={"type": "date"})
LANGUAGES = [("uz", "O‘zbekcha"), ("ru", "Русский"), ("en", "English"), ("ky", "Кыргызча")]
LANGUAGES += [("kk", "Қазақша"), ("tg", "Тоҷикӣ"), ("ar", "العربية"), ("tr", "Türkçe")]


def _country(value: str) -> str:
    code = (value or "").strip().upper()
    if code and not Country.objects.filter(code=code).exists():
        raise ValidationError(_("Use a two-letter ISO country code, such as UZ."))
    return code


if TYPE_CHECKING:
    _FormBase = forms.BaseForm  # the mixin is only ever mixed into a form
else:
    _FormBase = object


class PlainTextMixin(_FormBase):
    """Refuse control characters in one-line and multi-line text fields."""

    single_line: tuple[str, ...] = ()
    multi_line: tuple[str, ...] = ()

    def _post_clean_text(self, cleaned: dict) -> None:
        for name in self.single_line:
            if cleaned.get(name):
                try:
                    validate_single_line(cleaned[name])
                except ValidationError as exc:
                    self.add_error(name, exc)
        for name in self.multi_line:
            if cleaned.get(name):
                try:
                    validate_multiline(cleaned[name])
                except ValidationError as exc:
                    self.add_error(name, exc)


class VictimForm(CleanTextForm, PlainTextMixin, forms.ModelForm):
    single_line = ("given_name", "family_name")
    multi_line = ("contact_notes",)

    class Meta:
        model = Victim
        fields = ["given_name", "family_name", "phone", "contact_notes", "sex"]
        fields += ["birth_year", "nationality", "exploitation_forms", "exploitation_country"]
        widgets = {"contact_notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The model's columns are unbounded text (they hold ciphertext); bound the plain text here.
        for name, required, limit in [("given_name", True, 200), ("family_name", False, 200)]:
            label = self.fields[name].label
            self.fields[name] = forms.CharField(label=label, required=required, max_length=limit)
        self.fields["phone"] = forms.CharField(
            label=self.fields["phone"].label, required=False, max_length=40
        )
        self.fields["contact_notes"].max_length = 2000
        self.fields["contact_notes"].validators.append(MaxLengthValidator(2000))
        self.fields["birth_year"].widget.attrs.update({"min": 1900})
        self.fields["exploitation_forms"] = forms.MultipleChoiceField(
            label=_("Forms of exploitation"),
            required=False,
            choices=Exploitation.choices,
            widget=forms.CheckboxSelectMultiple,
        )

    def clean_phone(self):
        return normalise_phone(self.cleaned_data.get("phone", ""))

    def clean_nationality(self):
        return _country(self.cleaned_data.get("nationality", ""))

    def clean_exploitation_country(self):
        return _country(self.cleaned_data.get("exploitation_country", ""))

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        if year is not None and not 1900 <= year <= timezone.localdate().year:
            raise ValidationError(_("Give a year between 1900 and this year."))
        return year

    def clean(self):
        cleaned = super().clean()
        self._post_clean_text(cleaned)
        return cleaned


class ScreeningForm(CleanTextForm, forms.Form):
    indicators = forms.MultipleChoiceField(
        label=_("Indicators observed"), required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea, max_length=4000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicators"].choices = [(i.code, i.label()) for i in indicators()]


class StatusForm(CleanTextForm, forms.Form):
    status = forms.ChoiceField(label=_("Identification status"), choices=Status.choices)
    authority = forms.CharField(
        label=_("Deciding authority"),
        required=False,
        max_length=255,
        help_text=_("Required for identified and not-a-victim decisions."),
    )
    decided_on = forms.DateField(label=_("Date of decision"), widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea, max_length=4000)


class ConsentForm(CleanTextForm, forms.ModelForm):
    language = forms.ChoiceField(label=_("Language of explanation"), choices=LANGUAGES)

    class Meta:
        model = Consent
        fields = ["purpose", "recipient", "given_on", "language", "explained_by"]
        widgets = {"given_on": DATE}
        help_texts = {"recipient": _("Only for consent to share identity.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = DirectoryAgency.objects.order_by("name_en")


class ReferralForm(CleanTextForm, forms.Form):
    offer = forms.ModelChoiceField(label=_("Service"), queryset=ServiceOffer.objects.none())
    reason = forms.CharField(label=_("Reason for referral"), widget=forms.Textarea, max_length=4000)
    shares_identity = forms.BooleanField(
        label=_("Share the victim's name with the provider (needs consent naming it)"),
        required=False,
    )

    def __init__(self, *args, offers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = (
            offers if offers is not None else ServiceOffer.objects.none()
        )


class DecisionForm(CleanTextForm, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Accept")), ("decline", _("Decline"))]
    )
    response = forms.CharField(
        label=_("Reasons"), required=False, widget=forms.Textarea, max_length=4000
    )


class ServiceForm(CleanTextForm, forms.ModelForm):
    class Meta:
        model = ServiceDelivery
        fields = ["kind", "provider_name", "started_on", "ended_on", "note"]
        widgets = {"started_on": DATE, "ended_on": DATE}


class GoalForm(CleanTextForm, forms.Form):
    text = forms.CharField(label=_("Goal"), max_length=500)
    target_on = forms.DateField(label=_("Target date"), required=False, widget=DATE)


class FollowUpForm(CleanTextForm, forms.Form):
    due_on = forms.DateField(label=_("Due"), widget=DATE)
    purpose = forms.CharField(label=_("Purpose"), max_length=500)


class OutcomeForm(CleanTextForm, forms.Form):
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea, max_length=4000)


class ReturnForm(CleanTextForm, forms.ModelForm):
    class Meta:
        model = RepatriationPlan
        fields = ["from_country", "to_country", "receiving_service", "travel_documents"]
        fields += ["escort", "reception_point", "shelter_on_arrival", "travel_on"]
        widgets = {"travel_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receiving_service"].queryset = DirectoryAgency.objects.order_by("name_en")
        # The action names the missing service itself, in one clear message.
        self.fields["receiving_service"].required = False

    def clean_from_country(self):
        return _country(self.cleaned_data.get("from_country", ""))

    def clean_to_country(self):
        return _country(self.cleaned_data.get("to_country", ""))


class HotlineForm(CleanTextForm, forms.ModelForm):
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES)
    person_name = forms.CharField(
        label=_("Name of the person concerned, if a screening is opened"),
        required=False,
        max_length=200,
    )
    pass_to: "forms.ModelChoiceField[AccountsAgency]" = forms.ModelChoiceField(
        label=_("Pass the report to"),
        help_text=_("For the outcome “case”: the agency on this node that opens the case."),
        queryset=None,
        to_field_name="code",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pass_to"].queryset = case_opening_agencies()

    class Meta:
        model = HotlineCall
        fields = ["channel", "language", "caller_type", "summary", "urgency", "outcome"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3, "maxlength": 4000})}

    def clean_summary(self):
        summary = self.cleaned_data["summary"]
        if len(summary) > 4000:
            raise ValidationError(_("Keep the summary under 4000 characters."))
        return summary


class CaseLinkForm(CleanTextForm, forms.Form):
    reference = forms.CharField(label=_("Case reference"), max_length=80)


class SopStepForm(CleanTextForm, forms.Form):
    order = forms.IntegerField(label=_("Order"), min_value=1, max_value=999)
    title = forms.CharField(label=_("Step"), max_length=255)
    due_days = forms.IntegerField(label=_("Days after registration"), min_value=0, max_value=3650)
