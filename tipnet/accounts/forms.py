from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import validate_password
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from tipnet.lib.text import CleanTextForm

from .models import Agency, Role, User


class LoginForm(CleanTextForm, AuthenticationForm):
    error_messages = {
        "invalid_login": _("User name or password is wrong."),
        "inactive": _("This account is disabled."),
    }


class TotpForm(CleanTextForm, forms.Form):
    code = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        max_length=6,
        min_length=6,
        validators=[RegexValidator(r"^\d{6}$", _("Enter the six digits shown by the app."))],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class TokenForm(CleanTextForm, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=365, required=False, initial=90
    )


class UserCreateForm(CleanTextForm, forms.Form):
    username = forms.RegexField(
        label=_("User name"),
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        error_messages={"invalid": _("Letters, digits and @/./+/-/_ only.")},
    )
    full_name = forms.CharField(label=_("Full name"), max_length=255, required=False)
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.filter(is_active=True)
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, max_length=128)

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This user name is taken."))
        return username

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("username"):
            candidate = User(username=data["username"], full_name=data.get("full_name", ""))
            try:
                validate_password(data["password"], candidate)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class UserEditForm(CleanTextForm, forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )
    is_active = forms.BooleanField(label=_("May log in"), required=False)


class AgencyForm(CleanTextForm, forms.Form):
    code = forms.RegexField(
        label=_("Code"),
        max_length=64,
        regex=r"^[A-Z]{2}-[A-Z0-9-]{2,61}\Z",
        error_messages={"invalid": _("Country code, a hyphen, then capitals and digits: UZ-MVD.")},
    )
    name = forms.CharField(label=_("Name"), max_length=255)

    def clean_code(self):
        code = self.cleaned_data["code"]
        if Agency.objects.filter(code=code).exists():
            raise forms.ValidationError(_("An agency with this code exists."))
        return code
