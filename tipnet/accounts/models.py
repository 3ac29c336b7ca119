import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tipnet.lib.prepared import Prepared


class Role(models.TextChoices):
    INVESTIGATOR = "investigator", _("Investigator")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    CENTRAL_AUTHORITY = "central_authority", _("Central authority officer")
    CASEWORKER = "caseworker", _("Victim-assistance caseworker")
    ANALYST = "analyst", _("Analyst")
    NODE_ADMIN = "node_admin", _("Node administrator")


# Roles that work on cases and may see victims' identities of their own agency's cases.
OPERATIONAL_ROLES = frozenset(
    {Role.INVESTIGATOR, Role.PROSECUTOR, Role.CENTRAL_AUTHORITY, Role.CASEWORKER}
)


class Agency(models.Model):
    """An agency or unit that works on this node (its users belong to it)."""

    code = models.SlugField(_("code"), max_length=64, unique=True, allow_unicode=False)
    name = models.CharField(_("name"), max_length=255)
    country = models.CharField(_("country"), max_length=2)
    # The same agency's network-wide directory entry, when it has one.
    directory_agency = models.ForeignKey(
        "directory.Agency", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def local_name(self) -> str:
        """The name in the reader's language, from the directory entry when there is one."""
        if self.directory_agency_id and self.directory_agency:
            return self.directory_agency.name
        return self.name


class User(AbstractUser):
    """A person who logs in to this node; belongs to one agency and holds one or more roles."""

    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    full_name = models.CharField(_("full name"), max_length=255, blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=8, default="en")

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def role_codes(self) -> set[str]:
        if not hasattr(self, "_role_codes"):
            self._role_codes = set(_ROLE_CODES(self.pk))
        return self._role_codes

    def has_role(self, *roles: str) -> bool:
        return self.is_active and bool(self.role_codes() & set(roles))

    def display_name(self) -> str:
        return self.full_name or self.username


class UserRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_user_role")]

    def __str__(self) -> str:
        return self.role


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored; the token is shown once."""

    PREFIX = "tpn_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    # The first characters, shown in lists so a user can tell tokens apart.
    hint = models.CharField(max_length=12)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def generate(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    def is_usable(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class ApiRateCount(models.Model):
    """Requests one API client made in one fixed window of TIPNET_API_RATE (tipnet.api).

    One row per client and window, counted up by a single upsert per request; windows that have
    passed are deleted by the first request of a later window.
    """

    # A user ("user:<pk>") or, before authentication, an address ("addr:<sha256 prefix>").
    ident = models.CharField(max_length=64)
    # The window's start, in whole seconds since the epoch.
    window_start = models.BigIntegerField()
    n = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["ident", "window_start"], name="api_rate_one_per_window"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ident} @ {self.window_start}: {self.n}"


# Read on every request of a signed-in user: its SQL is built once (tipnet/lib/prepared.py).
_ROLE_CODES: Prepared[str] = Prepared(
    lambda user_id: (
        UserRole.objects.filter(user_id=user_id).order_by().values_list("role", flat=True)
    )
)
