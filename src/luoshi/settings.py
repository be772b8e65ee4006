"""Django settings, all from the environment, with an embedded default for one laptop.

Unset, Luoshi runs on SQLite under ./var with a secret key generated there on first use;
a province sets DATABASE_URL=postgresql://… and the rest below.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("LUOSHI_VAR_DIR", Path.cwd() / "var")).resolve()


def envbool(name: str, default: str = "0") -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"{name} must be 1 or 0, not {value!r}")


def envlist(name: str, default: str) -> list[str]:
    return [x.strip() for x in os.environ.get(name, default).split(",") if x.strip()]


def _secret_key() -> str:
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = envbool("DEBUG")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "luoshi.org",
    "luoshi.workdays",
    "luoshi.sources",
    "luoshi.tasks",
    "luoshi.answers",
    "luoshi.notify",
    "luoshi.search",
    "luoshi.desk",
    "luoshi.imports",
    "luoshi.monitoring",
    "luoshi.ledgers",
    "luoshi.documents",
    "luoshi.projects",
    "luoshi.assessment",
    "luoshi.dashboard",
    "luoshi.jobs",
    "luoshi.api",
    "luoshi.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "luoshi.bodylimit.BodyLimit",  # before anything reads a body: 413 from the declared length
    "django.contrib.sessions.middleware.SessionMiddleware",
    "luoshi.middleware.ChineseUnlessAsked",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last: it answers a locked-out login with its page
]

ROOT_URLCONF = "luoshi.urls"
WSGI_APPLICATION = "luoshi.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

_DEFAULT_DB = f"sqlite:///{VAR_DIR / 'luoshi.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _DEFAULT_DB), conn_max_age=60)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # IMMEDIATE: a writing transaction takes the lock when it begins, so two writers queue
    # (and the loser of a race sees the winner's change) instead of failing with "locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # tests on a file, not a shared in-memory database: threads then lock as in production
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
else:
    # one test database per test run, so that two runs on one server do not collide
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": int(os.environ.get("LUOSHI_PASSWORD_MIN_LENGTH", "10"))}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Logins are throttled per user name and per address (django-axes, attempts kept in the database
# so that every app process counts the same ones): after LUOSHI_LOGIN_FAILURES failures either
# is refused, without hashing the password, until LUOSHI_LOGIN_COOLOFF_MINUTES have passed or an
# administrator removes the attempts (/admin/axes/, or `luoshi axes_reset_username NAME`).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LUOSHI_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=float(os.environ.get("LUOSHI_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one, each counted on its own
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "luoshi.org.lockout.locked_out"  # 429 with a page that says how long
AXES_VERBOSE = False  # the refusal is logged in one line by the login view's own logger
# behind a reverse proxy, the client's address is the proxy's X-Forwarded-For (never trusted otherwise)
if os.environ.get("LUOSHI_PROXY_COUNT"):
    AXES_IPWARE_PROXY_COUNT = int(os.environ["LUOSHI_PROXY_COUNT"])
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
# a session lasts a working day by default, and ends with the browser if so configured
SESSION_COOKIE_AGE = int(float(os.environ.get("LUOSHI_SESSION_HOURS", "10")) * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = envbool("LUOSHI_SESSION_ENDS_WITH_BROWSER")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Attachments are served only through a view that checks who may see the task.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/attachments-not-public/"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# HTTPS, switched on by the environment where the app is served over it (`check --deploy` asks for each)
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD")
if envbool("SECURE_PROXY_SSL"):  # a proxy in front terminates TLS and says so
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts only from the app itself (no inline script, no
# CDN: an intranet has none anyway); inline style attributes stay allowed for widths drawn from
# figures. LUOSHI_CSP=report-only reports without blocking, LUOSHI_CSP=off sends none.
_CSP = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
_csp_mode = os.environ.get("LUOSHI_CSP", "on").strip().lower()
if _csp_mode not in ("on", "report-only", "off"):
    raise ValueError(f"LUOSHI_CSP must be on, report-only or off, not {_csp_mode!r}")
CONTENT_SECURITY_POLICY = _CSP if _csp_mode == "on" else None
CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP if _csp_mode == "report-only" else None

# Product settings (per deployment; per organisation where the model says so)
LUOSHI = {
    # limits in calendar days ("7d") or working days ("5wd"), counted on the working-day calendar
    "WARNING": os.environ.get("LUOSHI_WARNING", os.environ.get("LUOSHI_WARNING_DAYS", "7") + "d"),  # yellow: due within
    "STALE_AFTER": os.environ.get("LUOSHI_STALE_AFTER", os.environ.get("LUOSHI_STALE_DAYS", "14") + "d"),  # no progress
    "REMIND_BEFORE": os.environ.get("LUOSHI_REMIND_BEFORE", "3wd,1wd"),  # reminders before the due date
    "ESCALATE_AFTER": os.environ.get("LUOSHI_ESCALATE_AFTER", "1wd,5wd,10wd"),  # overdue: unit head, office, leader
    "BEHIND_MARGIN": int(os.environ.get("LUOSHI_BEHIND_MARGIN", "10")),  # points behind 序时进度 before yellow
    # scanners sharing the daily scan, each a job a worker takes (one a worker in a province)
    "SCAN_PARTS": int(os.environ.get("LUOSHI_SCAN_PARTS", "1")),
    "MAX_ATTACHMENT_BYTES": int(os.environ.get("LUOSHI_MAX_ATTACHMENT_BYTES", str(20 * 1024 * 1024))),
    # all attachments of one progress report together: a larger request is refused before it is read
    "MAX_REPORT_BYTES": int(os.environ.get("LUOSHI_MAX_REPORT_BYTES", str(50 * 1024 * 1024))),
    # periodic jobs: (name, job, "daily HH:MM" | "every N minutes"), enqueued by `luoshi worker`
    "SCHEDULE": [
        ("scan", "luoshi.tasks.jobs.scan", f"daily {os.environ.get('LUOSHI_SCAN_AT', '07:00')}"),
        # the dashboard's counts, recounted with the new day's lights (until then it counts the tasks)
        ("tally", "luoshi.tasks.jobs.recount", f"daily {os.environ.get('LUOSHI_RECOUNT_AT', '00:01')}"),
        # and the rows the day's writes add to them summed, so that a visit sums a row a group
        ("tally-fold", "luoshi.tasks.jobs.fold", "every 60 minutes"),
        ("notify-sweep", "luoshi.notify.jobs.sweep", "every 15 minutes"),
        # jobs left running by a worker that is gone, back to the queue (luoshi.jobs.beats)
        ("reclaim", "luoshi.jobs.beats.reclaim_jobs", "every 5 minutes"),
        ("imports-abandon", "luoshi.imports.jobs.abandon_stale", "daily 03:00"),
        ("projects-check", "luoshi.projects.jobs.check",  # slipped stages and investment shortfalls
         f"daily {os.environ.get('LUOSHI_PROJECTS_CHECK_AT', '07:30')}"),
        ("monitoring", "luoshi.monitoring.jobs.evaluate", f"daily {os.environ.get('LUOSHI_MONITOR_AT', '06:00')}"),
    ],
    "ATTACHMENT_TYPES": envlist(
        "LUOSHI_ATTACHMENT_TYPES", "pdf,doc,docx,xls,xlsx,ppt,pptx,wps,et,ofd,txt,csv,jpg,jpeg,png,gif,zip,rar,7z"
    ),
    # where the app is served, for links in emails and robot messages (e.g. https://luoshi.example.gov.cn)
    "BASE_URL": os.environ.get("LUOSHI_BASE_URL", ""),
    # minutes before each retry of a failed robot post or email; after the last, it is given up
    "WEBHOOK_RETRIES": [float(m) for m in envlist("LUOSHI_WEBHOOK_RETRIES", "1,5,25,125")],
    "WEBHOOK_TIMEOUT": float(os.environ.get("LUOSHI_WEBHOOK_TIMEOUT", "10")),  # seconds per attempt
}

# Mail (notifications), Django's own settings from the environment. Without EMAIL_HOST (a laptop)
# mail is printed to the console instead of sent.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "luoshi@localhost")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)

# Background jobs: Django's tasks API (the django-tasks backport) on a queue kept in the
# database itself, so a laptop needs no broker and a province's workers share PostgreSQL's
# (rows claimed with SKIP LOCKED: two workers never run one job). `luoshi worker` runs them.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("LUOSHI_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# backups keep times to the microsecond (the journal hashes them so): luoshi.jobs.exact_jsonl
SERIALIZATION_MODULES = {"jsonl-exact": "luoshi.jobs.exact_jsonl"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # a refused request (4xx) is one line: what, where, status — never a traceback
    "filters": {"refusals_in_one_line": {"()": "luoshi.logs.RefusalsInOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["refusals_in_one_line"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # every sign-in is not news: a lock-out is (logged as a warning)
    "loggers": {"axes": {"level": "WARNING"}},
}
FORM_RENDERER = "luoshi.renderer.Renderer"  # a <select> without a template include per option
