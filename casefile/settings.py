"""Casefile settings, read from the environment.

With nothing set, Casefile refuses to start: DEBUG is off and there is no SECRET_KEY.
Development sets DEBUG=1 (as `make run` does) and runs on an SQLite file in var/;
production sets SECRET_KEY (50 characters or more), ALLOWED_HOSTS and DATABASE_URL.
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Off unless set: a server started with nothing configured must not show tracebacks or
# run on the development key. `make run` and the test settings turn it on.
DEBUG = env_bool("DEBUG", default=False)

# Django's own measure of a key strong enough to sign sessions (`check --deploy`).
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not DEBUG and (
    len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH or len(set(SECRET_KEY)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
):
    given = f"the one given has {len(SECRET_KEY)} characters" if SECRET_KEY else "none is set"
    raise ImproperlyConfigured(
        f"Set SECRET_KEY when DEBUG is off: a random string of at least {SECRET_KEY_MIN_LENGTH} characters "
        f"({given}). For development on this machine, set DEBUG=1 instead."
    )
if not SECRET_KEY:
    SECRET_KEY = "development-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Full-text search and trigram similarity on PostgreSQL (apps.whole_case.search); harmless on SQLite.
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "apps.core",
    "apps.sources",
    "apps.places",
    "apps.actors",
    "apps.agreements",
    "apps.deployments",
    "apps.exercises",
    "apps.events",
    "apps.routes",
    "apps.citations",
    "apps.whole_case",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # before the session, CSRF and authentication middleware: it answers anonymous reads from
    # the cache without them, and sees every cookie they set on the way out (never cached)
    "apps.core.caching.ReaderCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "apps.core.middleware.RefuseNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # last, so it sees a view's exception first: a busy database is a 503, not a 500
    "apps.core.busy.DatabaseBusyMiddleware",
]

ROOT_URLCONF = "casefile.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.whole_case.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "casefile.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'casefile.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
# Connections persist across requests on both databases (CONN_MAX_AGE seconds, default
# 60): opening one costs more than a small API request itself (about 1.5 ms on SQLite,
# where a page of 100 places takes about 4 ms).
# SQLite holds under concurrent writers: write-ahead logging lets readers go on while one
# writer writes, a write transaction takes the write lock when it begins (IMMEDIATE) rather
# than failing halfway when it upgrades a read lock, and a writer waits up to 20 s for the
# lock instead of answering "database is locked" at once.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=20,
        transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )
    # Tests run on a file as well (one per test process), not in memory: an in-memory test
    # database is one connection that every live-server thread shares, so concurrent requests
    # would interleave their transactions on it and meet a shared cache's table locks, which
    # fail at once, instead of waiting for the file's write lock as production does.
    DATABASES["default"].setdefault("TEST", {}).setdefault(
        "NAME", str(Path(tempfile.gettempdir()) / f"casefile-test-{os.getpid()}.sqlite3")
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# var/ holds the development database and collected static files; it is git-ignored.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
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

# Caching of what anonymous readers see (apps/core/caching.py), keyed by the case file's
# revision, so a write is seen at once. With no CACHE_URL, each process keeps its own cache
# in memory (no server needed); several processes or machines share one through Redis:
# CACHE_URL=redis://127.0.0.1:6379/0.
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "casefile",
        }
    }
elif CACHE_URL:
    raise ImproperlyConfigured(f"CACHE_URL must be a redis:// address; {CACHE_URL!r} is not.")
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "casefile",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }
# How long a browser or proxy may keep a published page or API response without asking
# again (seconds); after a write they are told of it when they next ask.
CASEFILE_CACHE_MAX_AGE = int(os.environ.get("CACHE_MAX_AGE", "60"))
# How long an entry is kept at most (a write makes it unreachable sooner).
CASEFILE_CACHE_TIMEOUT = int(os.environ.get("CACHE_TIMEOUT", "3600"))
# Responses larger than this are served but not kept (a whole large case file's export).
CASEFILE_CACHE_MAX_BYTES = 4 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["apps.core.api.permissions.CasefileModelPermissions"],
    "DEFAULT_FILTER_BACKENDS": ["apps.core.api.filtering.CasefileFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "apps.core.api.schema.CasefileAutoSchema",
    "EXCEPTION_HANDLER": "apps.core.api.errors.api_exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "apps.core.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "apps.core.api.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Casefile API",
    "DESCRIPTION": "Read and write the records of a Casefile case file: actors, agreements, deployments, "
    "exercises, events, places, sources and the citations that tie them together.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Security at the edges: HTTPS, cookies, sessions, headers, lockout, throttles -------------
# Outside DEBUG the site is served over HTTPS (behind a proxy that sets X-Forwarded-Proto), with
# HSTS and cookies that never travel in clear. HTTPS=0 runs a plain-HTTP deployment (a closed
# network, a local trial); `check --deploy` then warns, as it should.
HTTPS = env_bool("HTTPS", default=not DEBUG)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # __Host-: the browser takes the cookie only if it is Secure, for path / and without a
    # Domain, so no other host of the domain (nor a plain-HTTP page) can set or shadow it.
    SESSION_COOKIE_NAME = "__Host-casefile-session"
    CSRF_COOKIE_NAME = "__Host-casefile-csrftoken"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_PATH = "/"
CSRF_COOKIE_PATH = "/"

# A session ends after SESSION_IDLE_SECONDS without a request (default 2 hours), and at the
# latest SESSION_MAX_SECONDS after signing in (default 12 hours), whatever the activity.
SESSION_IDLE_SECONDS = int(os.environ.get("SESSION_IDLE_SECONDS", str(2 * 60 * 60)))
SESSION_MAX_SECONDS = int(os.environ.get("SESSION_MAX_SECONDS", str(12 * 60 * 60)))
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware") + 1,
    "apps.core.middleware.SessionLimitsMiddleware",
)

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Features no Casefile page uses, refused to every page and anything it embeds.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
# Scripts, styles, fonts and data only from Casefile itself: nothing inline, no CDN (the
# Swagger UI comes from drf-spectacular-sidecar). data: images are the admin's and the
# Swagger UI's icons. Only DRF's browsable API adds inline style (apps.core.middleware).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
INSTALLED_APPS += ["csp"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "apps.core.middleware.ContentSecurityPolicyMiddleware",
)
# Sign-in lockout (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one user name
# from one address, that pair is refused — the right password included — for the cool-off,
# with a page that says so. `manage.py axes_reset_username NAME` unlocks it at once.
INSTALLED_APPS += ["axes"]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
MIDDLEWARE.insert(MIDDLEWARE.index("apps.core.busy.DatabaseBusyMiddleware"), "axes.middleware.AxesMiddleware")
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "apps.core.logs.client_address"
# Successful sign-ins are not recorded one by one (failures are); the logs say who was refused.
AXES_DISABLE_ACCESS_LOG = True

# API tokens: a brake on guessing them (apps.core.api.authentication), and throttles on every
# client (apps.core.api.throttling). Rates are "<number>/<second|minute|hour|day>", or "off";
# the defaults are well above what a reader or an integrator's script needs.
API_TOKEN_FAILURE_LIMIT = int(os.environ.get("API_TOKEN_FAILURE_LIMIT", "10"))
API_TOKEN_FAILURE_WINDOW = int(os.environ.get("API_TOKEN_FAILURE_WINDOW", "600"))
API_TOKEN_LOCKOUT_SECONDS = int(os.environ.get("API_TOKEN_LOCKOUT_SECONDS", "900"))
REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] = [
    "apps.core.api.authentication.BrakedTokenAuthentication",
    "rest_framework.authentication.SessionAuthentication",
]


def throttle_rate(name, default):
    rate = os.environ.get(name, default).strip()
    return None if rate.lower() in {"", "off", "none"} else rate


REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = [
    "apps.core.api.throttling.AnonymousThrottle",
    "apps.core.api.throttling.UserThrottle",
    "apps.core.api.throttling.WriteThrottle",
]
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    "anon": throttle_rate("THROTTLE_ANON_RATE", "1200/minute"),
    "user": throttle_rate("THROTTLE_USER_RATE", "2400/minute"),
    "write": throttle_rate("THROTTLE_WRITE_RATE", "300/minute"),
}
# Clients behind this many proxies (each adding to X-Forwarded-For) are told apart by the
# address the first proxy saw; 0 (the default) counts the connecting address.
REST_FRAMEWORK["NUM_PROXIES"] = int(os.environ.get("NUM_PROXIES", "0")) or None
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] = [
    *SPECTACULAR_SETTINGS.get("POSTPROCESSING_HOOKS", ["drf_spectacular.hooks.postprocess_schema_enums"]),
    "apps.core.api.throttling.document_throttling",
]
# --- end of security at the edges --------------------------------------------------------------

# One JSON object per line (apps.core.logs): Django's request errors (4xx refusals, 5xx with
# their traceback) and Casefile's security events (casefile.security: failed sign-ins,
# lockouts, rejected API tokens, throttled clients, expired sessions).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "apps.core.logs.JsonLinesFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        # django-axes says in prose what casefile.security says as an event: only its errors.
        "axes": {"level": "ERROR"},
    },
}
