import segno
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import actions
from .access import access_agencies, access_own_token_by_id, access_user_by_id, access_users
from .forms import AgencyForm, LoginForm, TokenForm, TotpForm, UserCreateForm, UserEditForm


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


def login_view(request):
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.get_user())
        return redirect(_safe_next(request))
    return render(request, "accounts/login.html", {"form": form, "next": _safe_next(request)})


def locked_out(request, credentials, *args, **kwargs):
    """Shown instead of the login form once too many attempts failed (django-axes)."""
    context = {"form": LoginForm(request), "locked": True, "next": "/"}
    return render(request, "accounts/login.html", context, status=429)


@require_POST
def logout_view(request):
    logout(request)
    messages.success(request, _("You are logged out."))
    return redirect("accounts:login")


@login_required
def profile(request):
    context = {
        "tokens": request.user.api_tokens.all(),
        "has_2fa": TOTPDevice.objects.filter(user=request.user, confirmed=True).exists(),
        "token_form": TokenForm(),
    }
    return render(request, "accounts/profile.html", context)


@login_required
def setup_2fa(request):
    # Someone who only knows the password must not swap the second factor for one of their own.
    if not request.user.is_verified() and user_has_device(request.user, confirmed=True):
        return redirect("accounts:verify_2fa")
    if request.method == "POST" and "restart" in request.POST:
        actions.do_restart_totp(request.user)
        messages.success(request, _("A new key was made; the previous key no longer works."))
        return redirect("accounts:setup_2fa")
    device = actions.do_start_totp(request.user)
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = actions.do_check_totp(request.user, device, form.cleaned_data["code"])
        if result.ok:
            actions.do_confirm_totp(request.user, device)
            otp_login(request, device)
            messages.success(request, _("Two-factor authentication is on."))
            return redirect("accounts:profile")
        form.add_error("code", result.message())
    qr = segno.make(device.config_url, micro=False).svg_inline(scale=5, title=_("QR code"))
    context = {"form": form, "qr": qr, "secret": _base32(device)}
    return render(request, "accounts/setup_2fa.html", context)


def _base32(device) -> str:
    import base64

    return base64.b32encode(device.bin_key).decode().rstrip("=")


@login_required
def verify_2fa(request):
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect("accounts:setup_2fa")
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = actions.do_check_totp(request.user, device, form.cleaned_data["code"])
        if result.ok:
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error("code", result.message())
    return render(request, "accounts/verify_2fa.html", {"form": form})


@login_required
@require_POST
def create_token(request):
    form = TokenForm(request.POST)
    if not form.is_valid():
        context = {"tokens": request.user.api_tokens.all(), "token_form": form}
        return render(request, "accounts/profile.html", context, status=400)
    _token, raw = actions.do_create_token(
        request.user, form.cleaned_data["name"], form.cleaned_data["days"]
    )
    return render(request, "accounts/token_created.html", {"raw": raw})


@login_required
@require_POST
def revoke_token(request, token_id: int):
    token = access_own_token_by_id(request.user, token_id)
    actions.do_revoke_token(request.user, token)
    messages.success(request, _("The token is revoked."))
    return redirect("accounts:profile")


@login_required
def user_list(request):
    users = access_users(request.user)
    return render(request, "accounts/user_list.html", {"users": users})


@login_required
def user_create(request):
    access_users(request.user)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.do_create_user(
            request.user,
            data["username"],
            data["password"],
            data["agency"],
            data["roles"],
            data["full_name"],
        )
        messages.success(request, _("User %(name)s created.") % {"name": data["username"]})
        return redirect("accounts:users")
    return render(request, "accounts/user_form.html", {"form": form})


@login_required
def user_edit(request, user_id: int):
    target = access_user_by_id(request.user, user_id)
    initial = {"roles": sorted(target.role_codes()), "is_active": target.is_active}
    form = UserEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if target == request.user and not form.cleaned_data["is_active"]:
            form.add_error("is_active", _("You cannot disable your own account."))
        else:
            actions.do_set_roles(request.user, target, form.cleaned_data["roles"])
            if form.cleaned_data["is_active"] != target.is_active:
                actions.do_set_active(request.user, target, form.cleaned_data["is_active"])
            messages.success(request, _("Saved."))
            return redirect("accounts:users")
    return render(request, "accounts/user_edit.html", {"form": form, "target": target})


@login_required
def agency_list(request):
    agencies = access_agencies(request.user).annotate(user_count=Count("users"))
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.do_create_agency(request.user, data["code"], data["name"], data["code"][:2])
        messages.success(request, _("Agency %(code)s created.") % {"code": data["code"]})
        return redirect("accounts:agencies")
    return render(request, "accounts/agency_list.html", {"agencies": agencies, "form": form})
