"""Writes to accounts. Each `do_*` records one audit event."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tipnet.audit.actions import record

from .models import Agency, ApiToken, Role, User, UserRole, hash_token
from .otp import CodeCheck, check_code


def do_create_agency(actor, code: str, name: str, country: str) -> Agency:
    """Create one of this node's agencies (units)."""
    with transaction.atomic():
        agency = Agency.objects.create(code=code, name=name, country=country.upper())
        record("accounts:agency:create", actor=actor, obj=agency, code=code)
    return agency


def do_create_user(
    actor, username: str, password: str, agency: Agency, roles: list[str], full_name: str = ""
) -> User:
    """Create a user with one or more roles. The password must pass the node's validators."""
    unknown = set(roles) - set(Role.values)
    if not roles or unknown:
        raise ValueError(f"unknown or missing roles: {sorted(unknown) or 'none given'}")
    user = User(username=username, agency=agency, full_name=full_name)
    validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save()
        UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in sorted(set(roles))])
        record(
            "accounts:user:create", actor=actor, obj=user, username=username, roles=sorted(roles)
        )
    return user


def do_set_roles(actor, user: User, roles: list[str]) -> None:
    """Replace a user's roles."""
    if not roles or set(roles) - set(Role.values):
        raise ValueError("roles must be a non-empty list of known roles")
    with transaction.atomic():
        user.roles.all().delete()
        UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in sorted(set(roles))])
        record("accounts:user:set_roles", actor=actor, obj=user, roles=sorted(set(roles)))
    user.__dict__.pop("_role_codes", None)


def do_set_active(actor, user: User, is_active: bool) -> None:
    """Enable or disable a user's login. Disabling also revokes the user's API tokens."""
    with transaction.atomic():
        user.is_active = is_active
        user.save(update_fields=["is_active"])
        if not is_active:
            user.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        record("accounts:user:" + ("enable" if is_active else "disable"), actor=actor, obj=user)


def do_create_token(actor, name: str, days: int | None) -> tuple[ApiToken, str]:
    """Create an API token for `actor`; returns the token row and the raw token (shown once)."""
    raw = ApiToken.generate()
    expires = timezone.now() + timedelta(days=days) if days else None
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor, name=name, token_hash=hash_token(raw), hint=raw[:8], expires_at=expires
        )
        record("accounts:token:create", actor=actor, obj=token, name=name)
    return token, raw


def do_revoke_token(actor, token: ApiToken) -> None:
    """Revoke one of the actor's tokens."""
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record("accounts:token:revoke", actor=actor, obj=token)


def do_lock_out_api_address(address: str) -> None:
    """Record that an address is locked out of the API after too many failed authentications."""
    with transaction.atomic():
        record(
            "accounts:api:lockout",
            address=address,
            failures=settings.TIPNET_API_AUTH_FAILURE_LIMIT,
            seconds=settings.TIPNET_API_AUTH_FAILURE_WINDOW_SECONDS,
        )


def do_start_totp(actor) -> TOTPDevice:
    """Return the actor's pending (unconfirmed) TOTP device, creating it only when there is none.

    One pending secret is kept until it is confirmed, so a key scanned before the page was
    reloaded (or opened on another screen) still works.
    """
    with transaction.atomic():
        # Lock the user, not only the pending device: with no device yet there is no row to
        # lock, and two pages loaded at once would each make a key.
        User.objects.select_for_update().filter(pk=actor.pk).first()
        pending = TOTPDevice.objects.filter(user=actor, confirmed=False).order_by("pk").first()
        if pending is not None:
            return pending
        device = TOTPDevice.objects.create(user=actor, name="default", confirmed=False)
        record("accounts:totp:start", actor=actor, obj=device)
    return device


def do_restart_totp(actor) -> TOTPDevice:
    """Throw away the actor's pending TOTP key and make a new one, at the actor's explicit request.

    A confirmed device is kept until the new key is confirmed (`do_confirm_totp`).
    """
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=actor.pk).first()
        dropped = TOTPDevice.objects.filter(user=actor, confirmed=False).delete()[0]
        device = TOTPDevice.objects.create(user=actor, name="default", confirmed=False)
        record("accounts:totp:restart", actor=actor, obj=device, dropped=dropped)
    return device


def do_check_totp(actor, device: TOTPDevice, code: str) -> CodeCheck:
    """Check a second-factor code of the actor's device, counting a wrong one against guessing."""
    with transaction.atomic():
        result = check_code(device, code)
        if result.outcome != "wait":
            device.save(
                update_fields=[
                    "last_t",
                    "drift",
                    "throttling_failure_count",
                    "throttling_failure_timestamp",
                    "last_used_at",
                ]
            )
        record("accounts:totp:check", actor=actor, obj=device, outcome=result.outcome)
    return result


def do_confirm_totp(actor, device: TOTPDevice) -> None:
    """Mark the actor's TOTP device confirmed after a correct code."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=actor, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        record("accounts:totp:confirm", actor=actor, obj=device)
