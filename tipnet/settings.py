"""tipnet settings: every value comes from the environment (see docs/configuration.md).

A test fails when a variable read here is missing from docs/configuration.md.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# The only spellings a boolean setting may take (any case): a typo such as `ture` stops the node
# instead of quietly meaning false.
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


def _env(name: str, default: str) -> str:
    # Set but empty (`TIPNET_HTTPS=` in an env file) means unset, as it does for DATABASE_URL.
    return os.environ.get(name, "").strip() or default


def envbool(name: str, default: str) -> bool:
    value = _env(name, default).lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={os.environ.get(name)!r} is not a boolean: use one of "
        f"{'/'.join(TRUE_WORDS)} or {'/'.join(FALSE_WORDS)} (any case)"
    )


def envint(name: str, default: str) -> int:
    value = _env(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number") from None


def envfloat(name: str, default: str) -> float:
    value = _env(name, default)
    try:
        number = float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a number") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ImproperlyConfigured(f"{name}={value!r} is not a finite number")
    return number


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent.parent

# Folder for this node's own files: the SQLite database, the generated secret key, uploads.
DATA_DIR = Path(os.environ.get("TIPNET_DATA_DIR", str(BASE_DIR / "var"))).resolve()

# Development mode: detailed error pages. Never on in production.
DEBUG = envbool("DEBUG", "false")


def _secret_key() -> str:
    # A node started without SECRET_KEY keeps a generated one in its data folder (mode 0600),
    # so a demo node restarts with the same sessions and production can still pass it explicitly.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


# Signs sessions, CSRF tokens and password-reset links; 50+ random characters in production.
SECRET_KEY = os.environ.get("SECRET_KEY") or _secret_key()

# Host names this node answers to, comma-separated.
ALLOWED_HOSTS = envlist("TIPNET_ALLOWED_HOSTS", "127.0.0.1,localhost")

# Origins trusted for CSRF on HTTPS behind a proxy, comma-separated (https://tipnet.example.gov).
CSRF_TRUSTED_ORIGINS = envlist("TIPNET_CSRF_TRUSTED_ORIGINS", "")

# This node's id in the network registry, such as UZ-GPO.
TIPNET_NODE_ID = os.environ.get("TIPNET_NODE_ID", "UZ-GPO")

# ISO 3166-1 alpha-2 code of the country this node serves.
TIPNET_NODE_COUNTRY = os.environ.get("TIPNET_NODE_COUNTRY", "UZ")

# Served over HTTPS: secure cookies, HSTS and redirects to https. Required in production.
TIPNET_HTTPS = envbool("TIPNET_HTTPS", "false")

# Seconds browsers must remember to use HTTPS only (when TIPNET_HTTPS is on).
TIPNET_HSTS_SECONDS = envint("TIPNET_HSTS_SECONDS", "31536000")

# Failed logins (per user name and address) before the login is locked.
TIPNET_LOGIN_FAILURE_LIMIT = envint("TIPNET_LOGIN_FAILURE_LIMIT", "5")

# Minutes a locked login stays locked.
TIPNET_LOGIN_LOCKOUT_MINUTES = envint("TIPNET_LOGIN_LOCKOUT_MINUTES", "15")

# Minutes of inactivity after which a session ends.
TIPNET_SESSION_MINUTES = envint("TIPNET_SESSION_MINUTES", "480")

# Rows per page in lists and in the JSON API (the API's ?limit may not exceed it).
TIPNET_PAGE_SIZE = envint("TIPNET_PAGE_SIZE", "50")

# Largest request body accepted, in megabytes.
TIPNET_MAX_REQUEST_MB = envint("TIPNET_MAX_REQUEST_MB", "2")

# Largest document that may be attached to a case, in megabytes.
TIPNET_CASE_DOCUMENT_MAX_MB = envint("TIPNET_CASE_DOCUMENT_MAX_MB", "10")

# Largest material (agenda, slides, report) that may be attached to a directory event, in MB.
TIPNET_EVENT_MATERIAL_MAX_MB = envint("TIPNET_EVENT_MATERIAL_MAX_MB", "10")

# Months after its last verification that a directory contact point is flagged as stale.
TIPNET_CONTACT_STALE_MONTHS = envint("TIPNET_CONTACT_STALE_MONTHS", "12")

# Failed API authentications (bad, expired or revoked tokens) from one client address before the
# address is locked out of the API.
TIPNET_API_AUTH_FAILURE_LIMIT = envint("TIPNET_API_AUTH_FAILURE_LIMIT", "10")

# Seconds within which those failures are counted, and that a locked-out address then waits.
TIPNET_API_AUTH_FAILURE_WINDOW_SECONDS = envint("TIPNET_API_AUTH_FAILURE_WINDOW_SECONDS", "900")

# Reverse proxies in front of the node that append to X-Forwarded-For; 0: the client's address is
# the connection's. Used to tell clients apart when throttling; never trust more than are there.
TIPNET_PROXY_COUNT = envint("TIPNET_PROXY_COUNT", "0")

# Address and port `tipnet serve` listens on.
TIPNET_BIND = os.environ.get("TIPNET_BIND", "127.0.0.1:8000")

# Log level for tipnet's own loggers (DEBUG, INFO, WARNING, ERROR).
TIPNET_LOG_LEVEL = os.environ.get("TIPNET_LOG_LEVEL", "INFO")

# On PostgreSQL, runs of a statement after which a connection prepares it on the server; 0: never
# (for a pooler in transaction mode that cannot keep prepared statements, such as PgBouncer before
# 1.21).
TIPNET_DATABASE_PREPARE_THRESHOLD = envint("TIPNET_DATABASE_PREPARE_THRESHOLD", "5")

# Database URL; SQLite in the data folder by default, postgres://user@host:5432/name in production.
# Connections are kept for a minute on both: opening one per request was a quarter of the time
# of a small request on SQLite.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'tipnet.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL: readers never wait for the writer, and a commit costs one sync instead of several,
    # which matters when the web server and exchange workers write to one file.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Server-side binding: parameters travel apart from the statement text, so bytea (sealed
    # messages, attachments, documents) goes as binary instead of a hex literal twice its size
    # that the server must parse.
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True
    # A statement a connection has run this many times is prepared on the server, which then
    # skips parsing and planning it (psycopg's prepare_threshold); 0: never.
    if TIPNET_DATABASE_PREPARE_THRESHOLD > 0:
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = TIPNET_DATABASE_PREPARE_THRESHOLD

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    # Serves Swagger UI's files from this node for /api/docs (otherwise they come from a CDN,
    # which the Content-Security-Policy refuses).
    "ninja",
    "django_otp.plugins.otp_totp",
    "axes",
    "tipnet.audit",
    "tipnet.accounts",
    "tipnet.directory",
    "tipnet.cases",
    "tipnet.victims",
    "tipnet.mla",
    "tipnet.checks",
    "tipnet.cooperation",
    "tipnet.jit",
    "tipnet.stats",
    "tipnet.exchange",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "tipnet.accounts.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tipnet.middleware.SessionActivityMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tipnet.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tipnet.urls"
WSGI_APPLICATION = "tipnet.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tipnet" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tipnet.context_processors.node",
                "tipnet.context_processors.navigation",
            ],
        },
    },
]

AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out login before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AXES_FAILURE_LIMIT = TIPNET_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = TIPNET_LOGIN_LOCKOUT_MINUTES / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "tipnet.accounts.views.locked_out"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = f"tipnet {TIPNET_NODE_ID}"

# Cookies carry the node id: browsers share cookies across ports, and nodes side by side on one
# host (the demo network) must not log each other's users out.
# The suspects' covering index (cases.CasePerson) carries non-key columns for PostgreSQL's
# index-only scans; SQLite builds it on the key columns alone, which is all it can use.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

SESSION_COOKIE_NAME = f"tipnet-{TIPNET_NODE_ID}-session"
CSRF_COOKIE_NAME = f"tipnet-{TIPNET_NODE_ID}-csrf"
SESSION_COOKIE_AGE = TIPNET_SESSION_MINUTES * 60
# The idle timeout: tipnet.middleware saves a signed-in session at most once a minute, which
# renews its expiry, instead of writing the session row on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = TIPNET_HTTPS
CSRF_COOKIE_SECURE = TIPNET_HTTPS
SECURE_SSL_REDIRECT = TIPNET_HTTPS
SECURE_HSTS_SECONDS = TIPNET_HSTS_SECONDS if TIPNET_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = TIPNET_HTTPS
SECURE_HSTS_PRELOAD = TIPNET_HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TIPNET_HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = TIPNET_MAX_REQUEST_MB * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ru", _("Russian")),
    ("uz", _("Uzbek")),
]
LOCALE_PATHS = [BASE_DIR / "tipnet" / "locale"]
LANGUAGE_COOKIE_SECURE = TIPNET_HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "tipnet" / "static"]
# Folder `tipnet collectstatic` fills for a front web server; empty: served by the node itself.
STATIC_ROOT = os.environ.get("TIPNET_STATIC_ROOT") or None
# Static files are served by WhiteNoise straight from the apps, so no collectstatic step is needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

NINJA_PAGINATION_PER_PAGE = TIPNET_PAGE_SIZE
NINJA_PAGINATION_MAX_LIMIT = TIPNET_PAGE_SIZE
# The API rate throttle tells clients apart like the auth-failure throttle: without it, it would
# trust a client's own X-Forwarded-For.
NINJA_NUM_PROXIES = TIPNET_PROXY_COUNT

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "tipnet": {"handlers": ["console"], "level": TIPNET_LOG_LEVEL},
        "django.request": {"handlers": ["console"], "level": "ERROR"},
    },
}

# File holding the 32-byte key that encrypts victims' names and contacts (created 0600 if absent).
TIPNET_FIELD_KEY_FILE = os.environ.get("TIPNET_FIELD_KEY_FILE") or str(DATA_DIR / "field.key")

# Requests per client to the JSON API, such as 600/m; more are answered 429.
TIPNET_API_RATE = os.environ.get("TIPNET_API_RATE", "600/m")

# Append-only file of the audit chain's signed head checkpoints (kept outside the database).
TIPNET_AUDIT_CHECKPOINT_FILE = os.environ.get("TIPNET_AUDIT_CHECKPOINT_FILE") or str(
    DATA_DIR / "audit-checkpoints.jsonl"
)

# Hours after which recording an audit event also signs a new checkpoint of the chain's head.
TIPNET_AUDIT_CHECKPOINT_HOURS = envint("TIPNET_AUDIT_CHECKPOINT_HOURS", "24")

# Folder holding this node's private signing and encryption keys (files of mode 0600).
TIPNET_EXCHANGE_KEY_DIR = os.environ.get("TIPNET_EXCHANGE_KEY_DIR") or str(DATA_DIR / "keys")

# The signed network registry this node trusts (JSON, written by `tipnet network sign`).
TIPNET_NETWORK_REGISTRY_FILE = os.environ.get("TIPNET_NETWORK_REGISTRY_FILE") or str(
    DATA_DIR / "network.json"
)

# The network secretariat's public key (base64), the anchor every registry must be signed by.
TIPNET_NETWORK_ANCHOR_FILE = os.environ.get("TIPNET_NETWORK_ANCHOR_FILE") or str(
    DATA_DIR / "network-anchor.pub"
)

# Largest message (sealed, with attachments) a node sends or accepts, in megabytes.
TIPNET_EXCHANGE_MAX_MB = envint("TIPNET_EXCHANGE_MAX_MB", "20")

# Seconds one delivery attempt may take before it counts as failed.
TIPNET_EXCHANGE_HTTP_TIMEOUT = envfloat("TIPNET_EXCHANGE_HTTP_TIMEOUT", "15")

# Seconds before the first retry of a failed delivery; each further retry waits twice as long.
TIPNET_EXCHANGE_RETRY_BASE = envfloat("TIPNET_EXCHANGE_RETRY_BASE", "10")

# Longest wait between two delivery attempts, in seconds.
TIPNET_EXCHANGE_RETRY_MAX = envfloat("TIPNET_EXCHANGE_RETRY_MAX", "900")

# Seconds without a receipt after which a message is given up as not delivered (and alerted).
TIPNET_EXCHANGE_DELIVERY_TIMEOUT = envfloat("TIPNET_EXCHANGE_DELIVERY_TIMEOUT", "86400")

# Oldest message (by its sender's clock) a node accepts, in seconds; older ones are replays.
TIPNET_EXCHANGE_MAX_AGE = envfloat("TIPNET_EXCHANGE_MAX_AGE", "172800")

# Seconds a sender's clock may run ahead of this node's before its messages are refused.
TIPNET_EXCHANGE_CLOCK_SKEW = envfloat("TIPNET_EXCHANGE_CLOCK_SKEW", "300")

# Messages one worker claims (leases) at a time and records the receipts of in one transaction.
TIPNET_EXCHANGE_BATCH = envint("TIPNET_EXCHANGE_BATCH", "32")

# Most messages in one delivery (one POST to a node's /exchange/inbox/batch/): what a node takes
# and what its workers send at once to one recipient.
TIPNET_EXCHANGE_DELIVERY_MAX = envint("TIPNET_EXCHANGE_DELIVERY_MAX", "64")

# Threads one worker sends a batch with, each over its own kept-alive connection per peer.
TIPNET_EXCHANGE_SEND_THREADS = envint("TIPNET_EXCHANGE_SEND_THREADS", "4")

# Seconds `tipnet exchange run` sleeps when the outbox has nothing due.
TIPNET_EXCHANGE_POLL_SECONDS = envfloat("TIPNET_EXCHANGE_POLL_SECONDS", "1")

# Cached counters (API throttling) live in the database, so app servers keep no state of their own.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "tipnet_cache",
    }
}
CSRF_FAILURE_VIEW = "tipnet.views.csrf_failure"

# Cross-border person checks (tipnet.checks): the most checks one user may ask per day.
TIPNET_CHECKS_USER_DAILY = envint("TIPNET_CHECKS_USER_DAILY", "50")

# The most check queries this node answers per requesting node per day; the rest are refused.
TIPNET_CHECKS_NODE_DAILY = envint("TIPNET_CHECKS_NODE_DAILY", "500")

# Queries from one node within an hour that raise a burst alert for this node's admins.
TIPNET_CHECKS_ALERT_BURST = envint("TIPNET_CHECKS_ALERT_BURST", "60")

# Days a hit's reference stays valid for a follow-up request.
TIPNET_CHECKS_REFERENCE_DAYS = envint("TIPNET_CHECKS_REFERENCE_DAYS", "30")
