"""Hearth settings: everything that differs between machines comes from the environment.

DATABASE_URL  sqlite:///db.sqlite3 (default) or postgres://user@host:5432/name
SECRET_KEY    required unless DEBUG is on
DEBUG         off unless set to 1/true (the demo turns it on)
ALLOWED_HOSTS comma-separated, default localhost names
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (production mode refuses "
            "to start without one), or set DEBUG=1 for a local demo."
        )
    SECRET_KEY = "insecure-local-demo-key-never-use-in-production"

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "ninja",  # serves Swagger UI for /api/v1/docs from its static files, not a CDN
    "simple_history",
    "hearth.core",
    "hearth.reference",
    "hearth.staff",
    "hearth.people",
    "hearth.cases",
    "hearth.intake",
    "hearth.placements",
    "hearth.visitation",
    "hearth.contacts",
    "hearth.planning",
    "hearth.oversight",
    "hearth.obligations",
    "hearth.reports",
    "hearth.web",
    "hearth.api",
    "hearth.demo",
    # Sign-in (see the sign-in block below).
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "hearth.core.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "hearth.web.middleware.NoStoreMiddleware",  # after WhiteNoise: static files stay cacheable
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # sign-in: request.user.is_verified()
    "django.contrib.messages.middleware.MessageMiddleware",
    "hearth.web.account.middleware.SignInGuardMiddleware",  # sign-in: sessions and steps
    "hearth.web.once.OneTimeFormMiddleware",  # a create form sent twice saves once
    "hearth.api.idempotency.IdempotencyKeyMiddleware",  # the API's Idempotency-Key
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "hearth.web.middleware.AccessErrorsMiddleware",
    "hearth.web.middleware.RefuseNulMiddleware",
    "axes.middleware.AxesMiddleware",  # sign-in: the lockout page; keep it last
]

ROOT_URLCONF = "hearth.urls"
WSGI_APPLICATION = "hearth.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hearth.web.context_processors.staff",
                "hearth.web.once.once_field",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # PostgreSQL's JIT compiles each large aggregate (F1, dashboards) and doubles its
    # cost on these short OLTP-style queries; measured in bench/README.md.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-us"
# The staff pages are in English; documents a family may read (visitation and case plans,
# their signature pages) are printed in the family's language with translation.override
# (hearth.core.documents), from the catalogues in hearth/locale.
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "hearth" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "America/Chicago")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Sign-in, two-factor, sessions and API tokens (issue 10 §2) -----------------------
# Described in docs/operator-guide.md ("Sign-in") and docs/adr/0009-sign-in-and-two-factor.md.


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def env_list(name: str, default: str) -> list[str]:
    """A comma-separated list; set to empty for none."""
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out account or address
    "django.contrib.auth.backends.ModelBackend",
]

# Passwords: at least 12 characters, not a common one, not like the user's own names.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("HEARTH_PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lockout (django-axes): after HEARTH_SIGNIN_FAILURE_LIMIT failed sign-ins within the
# cool-off, per account and per address (HEARTH_SIGNIN_LOCKOUT_BY: "username",
# "ip_address", or both), sign-in is refused until the cool-off has passed. Every failure
# is recorded (admin: Axes, with the password masked); `manage.py axes_reset_username`.
AXES_FAILURE_LIMIT = env_int("HEARTH_SIGNIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("HEARTH_SIGNIN_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = env_list("HEARTH_SIGNIN_LOCKOUT_BY", "username,ip_address")
if not AXES_LOCKOUT_PARAMETERS or set(AXES_LOCKOUT_PARAMETERS) - {"username", "ip_address"}:
    raise ImproperlyConfigured("HEARTH_SIGNIN_LOCKOUT_BY: username, ip_address, or both.")
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "hearth.web.account.views.locked_out"  # a branded page, 429
# Behind a load balancer or reverse proxy, the client's address is the HEARTH_PROXY_COUNT-th
# address from the right of X-Forwarded-For (each trusted proxy appends one): for the
# lockout and for the access log.
HEARTH_PROXY_COUNT = env_int("HEARTH_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "hearth.web.account.middleware.client_ip"

# Two-factor sign-in (django-otp: an authenticator app, and one-time recovery codes).
HEARTH_2FA_ROLES = frozenset(
    env_list("HEARTH_2FA_ROLES", "program_director,state_oversight,qa_reviewer,administrator")
)
HEARTH_2FA_FOR_EVERYONE = env_bool("HEARTH_2FA_FOR_EVERYONE", False)
OTP_TOTP_ISSUER = "Hearth"

# Sessions end after HEARTH_SESSION_IDLE_MINUTES without a request, and in any case
# HEARTH_SESSION_MAX_HOURS after sign-in (hearth.web.account.middleware).
HEARTH_SESSION_IDLE_MINUTES = env_int("HEARTH_SESSION_IDLE_MINUTES", 30)
HEARTH_SESSION_MAX_HOURS = env_int("HEARTH_SESSION_MAX_HOURS", 12)
SESSION_COOKIE_AGE = HEARTH_SESSION_MAX_HOURS * 3600

# API bearer tokens expire this many days after they are made.
HEARTH_API_TOKEN_DAYS = env_int("HEARTH_API_TOKEN_DAYS", 90)

# A create form's one-time token and an API `Idempotency-Key` are remembered this many
# hours (hearth.core.idempotency): a repeat within them answers with the first result.
HEARTH_IDEMPOTENCY_HOURS = env_int("HEARTH_IDEMPOTENCY_HOURS", 24)
# --- end of sign-in ------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
X_FRAME_OPTIONS = "DENY"

# --- Production settings, headers, errors and request ids (issue 10 §3, §7) ---------------
# docs/operator-guide.md, "Production settings and headers" and "Errors and request ids".
# HTTPS only unless DEBUG: plain-HTTP requests are redirected and browsers are told to
# keep to HTTPS for a year (HSTS, subdomains, preload directive). Behind a proxy that
# terminates TLS and talks plain HTTP to gunicorn, set SECURE_PROXY_SSL_HEADER to the
# header it sets (HTTP_X_FORWARDED_PROTO for X-Forwarded-Proto: https), and only if the
# proxy overwrites that header on every request. SECURE_SSL_REDIRECT=0 turns the redirect
# off where something else redirects, or for a local plain-HTTP run (bench/run.py).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (os.environ["SECURE_PROXY_SSL_HEADER"], "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# Content-Security-Policy (django-csp 4): this origin only, no inline script or style, no
# plug-ins, no framing. Templates keep script and style in static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# A form refused for its CSRF token gets the product's 403 page (hearth/web/errors.py).
CSRF_FAILURE_VIEW = "hearth.web.errors.csrf_failure"
# `Cache-Control: no-store` on every non-static response: hearth.web.middleware.NoStoreMiddleware.
# Logs carry ids and event names, never names or other personal data. Each record carries
# the request id (RequestIdMiddleware sets it, RequestIdFilter adds it); Django logs every
# 500 with its traceback (logger django.request).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "hearth.core.request_id.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
# --- end of production settings, headers, errors and request ids --------------------------

# Pagination for lists in pages and the API.
HEARTH_PAGE_SIZE = int(os.environ.get("HEARTH_PAGE_SIZE", "50"))

# --- Email and the due list's digest and calendar (issue 12, P9) ---------------------------
# docs/operator-guide.md, "Email, the daily digest and the calendar feed". The digest is
# sent through Django's email framework: SMTP by default (EMAIL_BACKEND to change it, e.g.
# django.core.mail.backends.console.EmailBackend for a local demo).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL: set one at most.")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Hearth <hearth@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_SUBJECT_PREFIX = "[Hearth] "
# The address of Hearth as its users reach it, for links in emails (no request to read
# it from): scheme and host, no trailing path.
HEARTH_BASE_URL = os.environ.get("HEARTH_BASE_URL", "http://localhost:8000")
# The scheduler (manage.py run_scheduler, docs/adr/0012-scheduler.md): the daily digest at
# HEARTH_DIGEST_TIME (HH:MM, TIME_ZONE), the month's obligations on the first of the month
# at HEARTH_MONTHLY_TIME.
HEARTH_DIGEST_TIME = os.environ.get("HEARTH_DIGEST_TIME", "06:00")
HEARTH_MONTHLY_TIME = os.environ.get("HEARTH_MONTHLY_TIME", "01:00")
# --- end of email -------------------------------------------------------------------------
