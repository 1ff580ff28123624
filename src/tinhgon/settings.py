"""Django settings for tinhgon.

Configuration comes from environment variables prefixed ``TINHGON_`` (see README).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("TINHGON_VAR_DIR", PROJECT_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    key = os.environ.get("TINHGON_SECRET_KEY")
    if key:
        return key
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("TINHGON_DEBUG", False)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("TINHGON_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("TINHGON_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "tinhgon.core.admin_site.TinhgonAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "tinhgon.core",
    "tinhgon.accounts",
    "tinhgon.apparatus",
    "tinhgon.restructuring",
    "tinhgon.cadres",
    "tinhgon.tasks",
    "tinhgon.addresses",
    "tinhgon.petitions",
    "tinhgon.assessment",
    "tinhgon.placement",
    "tinhgon.documents",
    "tinhgon.inspection",
    "tinhgon.party",
    "tinhgon.emulation",
]

MIDDLEWARE = [
    "tinhgon.core.net.ForwardedProtoMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "tinhgon.core.security.PrivateCacheMiddleware",
    "tinhgon.core.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tinhgon.core.middleware.LanguageMiddleware",
    "tinhgon.core.middleware.NulCharacterMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tinhgon.core.middleware.ChangeActorMiddleware",
    "tinhgon.core.middleware.PasswordChangeRequiredMiddleware",
    "tinhgon.core.middleware.NoRuleSetMiddleware",
]

ROOT_URLCONF = "tinhgon.urls"
WSGI_APPLICATION = "tinhgon.wsgi.application"

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
                "tinhgon.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("TINHGON_DATABASE_URL", f"sqlite:///{VAR_DIR / 'tinhgon.sqlite3'}"),
        conn_max_age=int(os.environ.get("TINHGON_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get(
        "TINHGON_TEST_SQLITE_NAME", ""
    ) or None

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["tinhgon.accounts.backends.ThrottledModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Failed logins allowed per username (and per client address) inside the window.
TINHGON_LOGIN_MAX_FAILURES = int(os.environ.get("TINHGON_LOGIN_MAX_FAILURES", "5"))
TINHGON_LOGIN_WINDOW_SECONDS = int(os.environ.get("TINHGON_LOGIN_WINDOW_SECONDS", "900"))
# Reverse proxies whose X-Forwarded-For names the client (addresses or networks, comma-separated).
TINHGON_TRUSTED_PROXIES = [
    p.strip() for p in os.environ.get("TINHGON_TRUSTED_PROXIES", "").split(",") if p.strip()
]

# HTTPS (docs/SECURITY.md): TINHGON_HTTPS=1 when the site is served only over HTTPS.
# It turns on the redirect to HTTPS, HSTS for a year (subdomains included; preloading is
# a separate, hard-to-undo choice) and secure cookies. Behind a trusted reverse proxy the
# scheme comes from its X-Forwarded-Proto (core.net drops that header from anyone else).
TINHGON_HTTPS = _env_bool("TINHGON_HTTPS", False)
SECURE_SSL_REDIRECT = _env_bool("TINHGON_SSL_REDIRECT", TINHGON_HTTPS)
SECURE_HSTS_SECONDS = int(os.environ.get("TINHGON_HSTS_SECONDS", "31536000" if TINHGON_HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("TINHGON_HSTS_INCLUDE_SUBDOMAINS", TINHGON_HTTPS)
SECURE_HSTS_PRELOAD = _env_bool("TINHGON_HSTS_PRELOAD", False)
if TINHGON_HTTPS and TINHGON_TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Preloading is opt-in: its warning is not a defect of the documented settings.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = _env_bool("TINHGON_SECURE_COOKIES", TINHGON_HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS: list[Path] = []  # each app carries its own locale/ folder
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tinhgon.core.authentication.TokenAuthentication",
        "tinhgon.core.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "tinhgon.core.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_PARSER_CLASSES": [
        "tinhgon.core.parsers.JSONParser",
        "tinhgon.core.parsers.FormParser",
        "tinhgon.core.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["tinhgon.core.filters.FilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "tinhgon.core.api.AutoSchema",
    "EXCEPTION_HANDLER": "tinhgon.core.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"login": "10/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "tinhgon API",
    "DESCRIPTION": "Organization and personnel work for a public apparatus being streamlined.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name for a choice set several fields share (level, self_level, level_before_cap; the
    # surplus option of a candidate and of an estimate).
    "ENUM_NAME_OVERRIDES": {
        "AssessmentLevelEnum": "tinhgon.assessment.models.LEVELS",
        "SurplusOptionEnum": "tinhgon.placement.models.Candidate.OPTIONS",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "tinhgon.core.logfilters.RequestIdFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s [req %(request_id)s %(actor)s] %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TINHGON_LOG_LEVEL", "WARNING")},
}

# Background jobs (Django's task framework through the django-tasks backport). The default
# keeps the queue in the database, so `make run` needs no broker; `tinhgon worker` runs the
# jobs. In production, TINHGON_TASKS_BACKEND=rq with TINHGON_REDIS_URL uses RQ on Redis
# (docs/DEPLOY.md); TINHGON_TASKS_BACKEND=immediate runs each job inside the request that starts it.
_tasks_backend = os.environ.get("TINHGON_TASKS_BACKEND", "database")
TASKS = {
    "default": {
        "database": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
        "immediate": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
        "rq": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]},
    }[_tasks_backend]
}
# Plans with this many operations or more are validated and applied from the page as jobs.
TINHGON_PLAN_JOB_MIN_OPERATIONS = int(os.environ.get("TINHGON_PLAN_JOB_MIN_OPERATIONS", "100"))
# A job's output file (an export) is removed this many days after the job ended
# (`tinhgon purge-job-files`, run nightly beside the backup).
TINHGON_JOB_OUTPUT_DAYS = int(os.environ.get("TINHGON_JOB_OUTPUT_DAYS", "7"))
# Petitions: a count of denunciations between 1 and this minus 1 (a small unit, month or subject
# cell of the report, the hot-spot evidence, the deadline lists) reads "< k" (docs/SECURITY.md).
TINHGON_PETITIONS_SMALL_COUNT = int(os.environ.get("TINHGON_PETITIONS_SMALL_COUNT", "3"))
if _tasks_backend == "rq":
    RQ_QUEUES = {"default": {"URL": os.environ.get("TINHGON_REDIS_URL", "redis://127.0.0.1:6379/0")}}

# Upload and import limits -----------------------------------------------------------------
# The largest file an upload may send (imports, portraits): a bigger multipart request is
# answered 413 before its body is read, a bigger file is refused by the form or the API.
# What an import may unpack from one file: rows (header and blank rows included), cells
# per row and in all, bytes after decompression and compression ratio of an XLSX archive,
# seconds spent reading the rows.  See docs/SECURITY.md, "Exports and imports".
TINHGON_MAX_UPLOAD_BYTES = int(os.environ.get("TINHGON_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
TINHGON_IMPORT_MAX_ROWS = int(os.environ.get("TINHGON_IMPORT_MAX_ROWS", "200000"))
TINHGON_IMPORT_MAX_COLUMNS = int(os.environ.get("TINHGON_IMPORT_MAX_COLUMNS", "500"))
TINHGON_IMPORT_MAX_CELLS = int(os.environ.get("TINHGON_IMPORT_MAX_CELLS", "10000000"))
TINHGON_IMPORT_MAX_UNPACKED_BYTES = int(os.environ.get("TINHGON_IMPORT_MAX_UNPACKED_BYTES", str(256 * 1024 * 1024)))
TINHGON_IMPORT_MAX_COMPRESSION_RATIO = int(os.environ.get("TINHGON_IMPORT_MAX_COMPRESSION_RATIO", "100"))
TINHGON_IMPORT_MAX_SECONDS = float(os.environ.get("TINHGON_IMPORT_MAX_SECONDS", "120"))
MIDDLEWARE = [*MIDDLEWARE, "tinhgon.core.uploads.UploadLimitMiddleware"]
