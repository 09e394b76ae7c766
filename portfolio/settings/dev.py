from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-secret-key-not-for-production")

WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
