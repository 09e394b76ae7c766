"""Settings shared by every environment. The environment is read here and nowhere else."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from corsheaders.defaults import default_headers as cors_default_headers
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# The environment is the configuration. docker-compose passes .env in as variables; a file is
# read only when ENV_FILE names one, so a .env made for compose never leaks into `make run`.
if env("ENV_FILE", default=""):
    environ.Env.read_env(env("ENV_FILE"), overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core",
    "dashboards",
    "webhooks",
    "partners",
    "projects",
    "indicators",
    "libraries",
    "reporting",
    "api",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
]
# The demo portfolio, synthetic portfolios and the benchmark (devtools/) are not part of a
# production site unless it is a demonstration one; development and tests always have them.
if env.bool("DEVTOOLS", default=False):
    INSTALLED_APPS.append("devtools")

MIDDLEWARE = [
    # First: health checks are answered whatever Host they were sent to (portfolio/health.py).
    "portfolio.health.HealthMiddleware",
    # Before anything that can answer: a browser's preflight gets its CORS answer here.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # The API's strong ETags are written outside gzip, worked out inside it (api/conditional.py).
    "api.conditional.StrongETagMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "api.conditional.ConditionalRequestMiddleware",
    "api.throttling.RateLimitHeadersMiddleware",
    # API errors as RFC 9457 problem details for clients that ask (api/problems.py).
    "api.problems.ProblemDetailsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Whether this session gave its second factor; then, until it has, only the code page.
    "django_otp.middleware.OTPMiddleware",
    "partners.middleware.TwoFactorMiddleware",
    # API writes sent with an Idempotency-Key happen once (api/idempotency.py); after the
    # second factor, so that only requests let through are kept.
    "api.idempotency.IdempotencyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Every page's scripts and styles are files of the portal's own: nothing inline, nothing from
# elsewhere, so injected markup cannot run.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

ROOT_URLCONF = "portfolio.urls"
WSGI_APPLICATION = "portfolio.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# On one machine with SQLite, concurrent writes wait their turn instead of failing with "database
# is locked": every transaction takes the write lock when it begins (so two of them never both
# read, then both try to write), waits up to 20 s for it, and readers do not block the writer.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
# PostgreSQL compiles a query it costs as expensive to machine code first: for the grouping
# queries of a recompute that compiling took longer (about 30 ms each) than it saved, and the
# portal's other queries are short. It is asked for when connecting; a connection pooler that
# refuses startup options (PgBouncer by default) needs DATABASE_JIT_OFF=false, and the same
# setting on the database instead (ALTER DATABASE portfolio SET jit = off).
if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql") and env.bool(
    "DATABASE_JIT_OFF", default=True
):
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"-c jit=off {options.get('options', '')}".strip()
# A server database keeps each process's connection for a minute rather than opening one per
# request or task (a few milliseconds each, a fifth of a page of the API); a connection that
# went bad meanwhile is noticed and replaced before it is used. CONN_MAX_AGE=0 opens one each
# time, as a pooler in transaction mode wants.
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "partners.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in lockout, in the pages and the admin alike: after AXES_FAILURE_LIMIT wrong passwords
# for one username, or from one address, further attempts are refused until the cool-off has
# passed or an administrator lifts it (`manage.py axes_reset_username NAME`, or the admin).
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "core.security.client_ip"
AXES_VERBOSE = False
# Set in the production setup, where a reverse proxy sets X-Real-IP and nothing else reaches
# the application server.
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
LOGIN_URL = "login"
# Invitations and password resets go out by e-mail: printed to the console unless EMAIL_URL
# names an SMTP server, e.g. smtp+tls://user:password@smtp.example.org:587
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = EMAIL_CONFIG["EMAIL_BACKEND"]
EMAIL_HOST = EMAIL_CONFIG.get("EMAIL_HOST", "localhost")
EMAIL_PORT = EMAIL_CONFIG.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = EMAIL_CONFIG.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = EMAIL_CONFIG.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = EMAIL_CONFIG.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = EMAIL_CONFIG.get("EMAIL_USE_SSL", False)
# Webhook addresses may not point into the portal's own network (loopback, private or
# link-local addresses) unless this is on, as in development and tests.
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = env.bool("WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", default=False)
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=5)
# Where people reach the portal, for links in messages sent outside a request (commands, tasks).
PORTAL_URL = env("PORTAL_URL", default="http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="portal@localhost")
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link works for a day
LOGIN_REDIRECT_URL = "portfolio-home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="America/Lima")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

# Without a broker every task runs eagerly in the calling process, so one machine with SQLite
# needs nothing else. With REDIS_URL, workers and beat take the work.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="celery")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# An approval must not wait long on a broker that is down: the repair catches up later.
# A message a killed worker held unacknowledged goes back to the queue after the visibility
# timeout (Redis's default is an hour). Every countdown the tasks use (a coalescing wait, a
# retry backoff of at most 60 s) is shorter, as it must be, or the message would be run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "visibility_timeout": 300,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}

# Snapshots: how long a recompute waits to gather a burst of approvals, how often stale
# snapshots are repaired, and how often everything is recomputed to repair drift.
# A quarter of a second: an approval shows on the dashboards within half a second, and a
# manager approving a list (an approval every 20 ms or so) sets off one job per window.
SNAPSHOT_COALESCE_SECONDS = env.float("SNAPSHOT_COALESCE_SECONDS", default=0.25)
SNAPSHOT_REPAIR_SECONDS = env.float("SNAPSHOT_REPAIR_SECONDS", default=30.0)
SNAPSHOT_FULL_RECOMPUTE_SECONDS = env.float("SNAPSHOT_FULL_RECOMPUTE_SECONDS", default=3600.0)
# Reporting reminders: editors hear of periods ending within this many days (and of overdue
# ones), managers of updates submitted longer ago than this many days and not yet reviewed.
REMINDER_DAYS_BEFORE_DUE = env.int("REMINDER_DAYS_BEFORE_DUE", default=7)
REMINDER_REVIEW_AFTER_DAYS = env.int("REMINDER_REVIEW_AFTER_DAYS", default=5)
REMINDER_HOUR = env.int("REMINDER_HOUR", default=7)  # when the daily digests go out

CELERY_BEAT_SCHEDULE = {
    "send-reminders": {
        "task": "indicators.tasks.send_reminders",
        "schedule": crontab(hour=REMINDER_HOUR, minute=0),
    },
    "repair-stale-snapshots": {
        "task": "indicators.tasks.repair_stale_snapshots",
        "schedule": SNAPSHOT_REPAIR_SECONDS,
    },
    "retry-webhook-deliveries": {
        "task": "webhooks.tasks.retry_due_deliveries",
        "schedule": 30.0,
    },
    "recompute-all-snapshots": {
        "task": "indicators.tasks.recompute_all_snapshots",
        "schedule": SNAPSHOT_FULL_RECOMPUTE_SECONDS,
    },
    "build-waiting-portfolio-files": {
        "task": "dashboards.tasks.build_waiting_exports",
        "schedule": 60.0,
    },
    "delete-old-portfolio-files": {
        "task": "dashboards.tasks.delete_old_exports",
        "schedule": crontab(hour=3, minute=30),
    },
}


# Two-factor sign-in: the name authenticator apps show beside the account.
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="NGO Portfolio Portal")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Partner systems send JSON; the schema promises nothing else.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "api.filters.StrictOrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    # Each token acts as its own user, so this is a rate per token (and per person).
    "DEFAULT_THROTTLE_RATES": {"user": env("API_RATE", default="600/minute")},
    "COERCE_DECIMAL_TO_STRING": False,
    "EXCEPTION_HANDLER": "api.exceptions.handler",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.problems.ProblemAwareNegotiation",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# Browser applications on these origins (scheme://host[:port], comma separated) may call the API
# with a token; cookies are never sent cross-origin, so a session cannot be borrowed.
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/v1/.*$"
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_HEADERS = (
    *cors_default_headers,
    "idempotency-key",
    "if-none-match",
    "if-modified-since",
)
CORS_EXPOSE_HEADERS = [
    "Content-Language",
    "ETag",
    "Idempotent-Replayed",
    "Last-Modified",
    "Location",
    "RateLimit",
    "RateLimit-Policy",
    "Retry-After",
]
SPECTACULAR_SETTINGS = {
    "TITLE": "NGO portfolio portal API",
    "DESCRIPTION": "Projects, indicators and progress updates for partner systems.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # An indicator's status appears on the indicator and on its working: one enum for both.
    "ENUM_NAME_OVERRIDES": {
        "IndicatorStatusEnum": "indicators.progress.STATUS_VALUES",
        "ReviewStatusEnum": "indicators.models.ProgressUpdate.Status",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.document_errors",
    ],
    # The schema and its docs describe the API, not its data: they are public.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
}

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # One line per finished task is noise when tasks run eagerly inside commands and requests.
    "loggers": {"celery.app.trace": {"level": env("TASK_LOG_LEVEL", default="WARNING")}},
}
