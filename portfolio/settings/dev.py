from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env

if "devtools" not in INSTALLED_APPS:
    INSTALLED_APPS.append("devtools")

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-secret-key-not-for-production")

WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
