"""Forms of police messages: persons and identifiers are ticked from the case, never retyped."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tipnet.lib.text import CleanTextForm

from . import codes
from .models import Kind, Priority


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


def _persons_field(rows) -> forms.MultipleChoiceField:
    choices = [
        (
            str(r.pk),
            f"{r.person.full_name} · {r.get_role_display()}"
            + (f" · {r.get_chain_role_display()}" if r.chain_role else ""),
        )
        for r in rows
    ]
    return forms.MultipleChoiceField(
        label=_("Persons of the case"),
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


def _identifiers_field(rows) -> forms.MultipleChoiceField:
    choices = [
        (str(i.pk), f"{r.person.full_name}: {i.get_kind_display()} {i.value}")
        for r in rows
        for i in r.person.identifiers.all()
    ]
    return forms.MultipleChoiceField(
        label=_("Identifiers of those persons"),
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class MessageForm(CleanTextForm, forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=Kind.choices)
    recipient = forms.ChoiceField(label=_("To (node and agency)"))
    subject = forms.CharField(label=_("Subject"), max_length=300)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea, required=False, max_length=20000)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    deadline = forms.DateTimeField(
        label=_("Deadline"),
        required=False,
        help_text=_("For a request: empty gives 8 hours when urgent, 7 days otherwise."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    handling_code = forms.ChoiceField(label=_("Handling code"))
    attachments = MultipleFileField(
        label=_("Attachments"), required=False, help_text=_("PDF, images or office files.")
    )

    def __init__(self, *args, recipients=(), rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].choices = list(recipients)
        self.fields["handling_code"].choices = codes.choices()
        self.fields["handling_code"].initial = codes.default()
        rows = list(rows)
        if rows:
            self.fields["persons"] = _persons_field(rows)
            self.fields["identifiers"] = _identifiers_field(rows)
            self.order_fields([*list(self.fields)[:-3], "persons", "identifiers"])


class ReplyForm(CleanTextForm, forms.Form):
    body = forms.CharField(label=_("Reply"), widget=forms.Textarea, max_length=20000)
    attachments = MultipleFileField(label=_("Attachments"), required=False)

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        rows = list(rows)
        if rows:
            self.fields["persons"] = _persons_field(rows)
            self.fields["identifiers"] = _identifiers_field(rows)


class ForwardForm(CleanTextForm, forms.Form):
    recipient = forms.ChoiceField(label=_("Forward to"))
    body = forms.CharField(label=_("Note"), widget=forms.Textarea, required=False, max_length=20000)

    def __init__(self, *args, recipients=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].choices = list(recipients)


class ConsentRequestForm(CleanTextForm, forms.Form):
    body = forms.CharField(label=_("Why and to whom"), widget=forms.Textarea, max_length=20000)


class ConsentAnswerForm(CleanTextForm, forms.Form):
    granted = forms.TypedChoiceField(
        label=_("Answer"),
        choices=[("yes", _("Give consent")), ("no", _("Refuse consent"))],
        coerce=lambda v: v == "yes",
    )
    body = forms.CharField(label=_("Note"), widget=forms.Textarea, required=False, max_length=20000)


class AttachForm(CleanTextForm, forms.Form):
    case = forms.TypedChoiceField(label=_("Case of mine"), coerce=int)
    person = forms.TypedChoiceField(
        label=_("Same person as"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, cases=(), persons=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [(c.pk, f"{c.reference} · {c.title}") for c in cases]
        self.fields["person"].choices = [("", _("A new person"))] + [
            (p.pk, f"{p.full_name} ({p.pk})") for p in persons
        ]


class AssignForm(CleanTextForm, forms.Form):
    officer = forms.TypedChoiceField(
        label=_("Assign to"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].choices = [("", _("Nobody"))] + [
            (u.pk, u.display_name()) for u in officers
        ]
