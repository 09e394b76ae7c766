"""Production: behind the reverse proxy of docker-compose.yml, over HTTPS only.

`manage.py check --deploy` is clean with these settings and the values of .env.example (once
SECRET_KEY is set to a real secret).
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY, env

PLACEHOLDER_KEYS = {"change-me-to-a-long-random-string"}


def refuse_weak(key: str) -> None:
    """The key signs sessions and password-reset links: a guessable one gives both away."""
    if not key:
        raise ImproperlyConfigured("SECRET_KEY must be set in production.")
    if key in PLACEHOLDER_KEYS or key.startswith("django-insecure-") or "change-me" in key:
        raise ImproperlyConfigured(
            "SECRET_KEY is the placeholder of .env.example: set a real secret, e.g. the output "
            "of: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    if len(key) < 50 or len(set(key)) < 5:
        raise ImproperlyConfigured(
            "SECRET_KEY is too weak: use at least 50 random characters, e.g. the output of: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )


refuse_weak(SECRET_KEY)

DEBUG = False
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
# The proxy answers HTTPS and says so in X-Forwarded-Proto, which it sets itself; nothing else
# reaches the application server, so the header can be trusted.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
