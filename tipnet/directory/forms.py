"""Filter forms (GET) and edit forms (POST, node administrators only)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tipnet.lib.text import CleanTextForm
from tipnet.mla.measures import MEASURES

from .countries import language_choices
from .models import (
    Agency,
    AgencyType,
    ContactPoint,
    Country,
    Event,
    EventKind,
    EventParticipant,
    FollowUp,
    FollowUpStatus,
    OutcomeKind,
    PractitionerNetwork,
)
from .validators import (
    NETWORK_CODE,
    normalise_phone,
    parse_language_codes,
    validate_multiline,
    validate_single_line,
)

# Longer texts (outcomes, follow-ups) are capped so a pasted megabyte gets a clear message.
LONG_TEXT_MAX = 10_000


def _blank(label):
    return [("", label)]


def country_choices(queryset=None):
    rows = queryset if queryset is not None else Country.objects.all()
    return _blank(_("All countries")) + [(c.code, c.name) for c in rows]


def network_choices():
    return _blank(_("All networks")) + [(n.code, n.name) for n in PractitionerNetwork.objects.all()]


class FilterForm(CleanTextForm, forms.Form):
    """A GET form whose invalid fields are dropped instead of failing the whole page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs["data-testid"] = "filter-" + name.replace("_", "-")

    def values(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


class AgencyFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    kind = forms.ChoiceField(label=_("Type"), required=False)
    network = forms.ChoiceField(label=_("Network"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        used = Country.objects.filter(agencies__isnull=False).distinct()
        self.fields["country"].choices = country_choices(used)
        self.fields["kind"].choices = _blank(_("All types")) + AgencyType.choices
        self.fields["network"].choices = network_choices()


class ContactFilterForm(AgencyFilterForm):
    language = forms.ChoiceField(label=_("Language spoken"), required=False)
    is_24_7 = forms.BooleanField(label=_("Available 24/7 only"), required=False)

    field_order = ["q", "country", "language", "kind", "network", "is_24_7"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        spoken = set()
        for codes in ContactPoint.objects.values_list("languages", flat=True):
            spoken.update(codes or [])
        self.fields["language"].choices = _blank(_("Any language")) + language_choices(spoken)


class EventFilterForm(FilterForm):
    country = forms.ChoiceField(label=_("Country"), required=False)
    kind = forms.ChoiceField(label=_("Type"), required=False)
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100, required=False)
    period = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=[("", _("Any time")), ("upcoming", _("Upcoming")), ("past", _("Past"))],
    )
    network = forms.ChoiceField(label=_("Network"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        used = Country.objects.filter(events__isnull=False).distinct()
        self.fields["country"].choices = country_choices(used)
        self.fields["kind"].choices = _blank(_("All types")) + EventKind.choices
        self.fields["network"].choices = network_choices()


class AgencyForm(CleanTextForm, forms.ModelForm):
    networks = forms.ModelMultipleChoiceField(
        label=_("Networks"),
        queryset=PractitionerNetwork.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    local_language = forms.ChoiceField(label=_("Local language"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Agency
        fields = [
            "country",
            "kind",
            "name_en",
            "name_ru",
            "name_uz",
            "name_local",
            "local_language",
            "region",
            "node_id",
            "website",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["local_language"].choices = _blank("—") + language_choices()
        if self.instance.pk:
            self.initial["networks"] = list(self.instance.networks.all())


def _description(label):
    return forms.CharField(
        label=label,
        max_length=LONG_TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_multiline],
    )


class NetworkForm(CleanTextForm, forms.ModelForm):
    """A network's names and descriptions in the three languages; its code only when new."""

    description_en = _description(_("Description (English)"))
    description_ru = _description(_("Description (Russian)"))
    description_uz = _description(_("Description (Uzbek)"))

    class Meta:
        model = PractitionerNetwork
        fields = [
            "code",
            "name_en",
            "name_ru",
            "name_uz",
            "description_en",
            "description_ru",
            "description_uz",
            "secretariat",
            "is_informal",
        ]
        labels = {"secretariat": _("Secretariat")}
        help_texts = {
            "code": _("Lower-case letters, digits and hyphens, such as casc; cannot be changed."),
            "name_uz": _("In Latin script."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["secretariat"].queryset = Agency.objects.select_related("country")
        if self.instance.pk:
            del self.fields["code"]

    def clean_code(self):
        # The same codes as the API takes: they appear in links and filters.
        code = self.cleaned_data["code"]
        if not NETWORK_CODE.fullmatch(code):
            raise ValidationError(
                _("Use lower-case letters, digits and single hyphens, such as casc or ca-experts.")
            )
        return code


class ContactForm(CleanTextForm, forms.ModelForm):
    languages = forms.CharField(
        label=_("Languages spoken"),
        max_length=200,
        required=False,
        help_text=_("ISO 639-1 codes separated by commas, such as uz, ru, en."),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        help_text=_("With the country code, such as +998 71 200 00 01."),
    )

    class Meta:
        model = ContactPoint
        fields = ["agency", "name", "position", "languages", "phone", "email", "is_24_7"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.select_related("country")
        if self.instance.pk:
            self.initial["languages"] = ", ".join(self.instance.languages)

    def clean_languages(self):
        return parse_language_codes(self.cleaned_data["languages"])

    def clean(self):
        data = super().clean()
        agency = data.get("agency")
        if data.get("phone"):
            try:
                data["phone"] = normalise_phone(
                    data["phone"], agency.country_id if agency else None
                )
            except ValidationError as exc:
                self.add_error("phone", exc)
        return data


class EventForm(CleanTextForm, forms.ModelForm):
    outcomes = forms.CharField(
        label=_("Outcomes"),
        max_length=LONG_TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[validate_multiline],
    )
    follow_ups = forms.CharField(
        label=_("Follow-ups"),
        max_length=LONG_TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[validate_multiline],
    )

    class Meta:
        model = Event
        fields = [
            "kind",
            "title",
            "starts_on",
            "ends_on",
            "country",
            "city",
            "organiser",
            "network",
            "outcomes",
            "follow_ups",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The event cannot end before it starts."))
        return data


class ParticipantForm(CleanTextForm, forms.Form):
    contact_point = forms.ModelChoiceField(
        label=_("Contact point"), queryset=ContactPoint.objects.select_related("agency")
    )
    role = forms.CharField(label=_("Role at the event"), max_length=128, required=False)

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event

    def clean_contact_point(self):
        contact = self.cleaned_data["contact_point"]
        if self.event and EventParticipant.objects.filter(event=self.event, contact_point=contact):
            raise ValidationError(_("This person is already a participant."))
        return contact


class FollowUpForm(CleanTextForm, forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["text", "owner", "due_on", "status"]
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The owner is one of the event's participants when it has any, else any contact.
        owners = ContactPoint.objects.select_related("agency")
        if event is not None and event.participants.exists():
            owners = owners.filter(events=event)
        self.fields["owner"].queryset = owners


class FollowUpStatusForm(CleanTextForm, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=FollowUpStatus.choices)


class MaterialForm(CleanTextForm, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, validators=[validate_single_line])
    file = forms.FileField(label=_("File"))


class OutcomeForm(CleanTextForm, forms.Form):
    kind = forms.ChoiceField(label=_("Record"), choices=OutcomeKind.choices)
    reference = forms.CharField(
        label=_("Reference"),
        max_length=200,
        help_text=_("The case or request reference, or the agreement's title."),
    )


class FinderForm(FilterForm):
    country = forms.ChoiceField(label=_("Country"))
    measure = forms.ChoiceField(label=_("Measure"))
    region = forms.CharField(label=_("Region or city"), max_length=128, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        used = Country.objects.filter(agencies__isnull=False).distinct()
        self.fields["country"].choices = _blank("—") + country_choices(used)[1:]
        measures = [(code, m.label) for code, m in MEASURES.items()]
        self.fields["measure"].choices = _blank("—") + measures
