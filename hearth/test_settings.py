"""Settings for the test suite: the same as production, with a throwaway secret and
fast password hashing. The database still comes from DATABASE_URL."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

from hearth.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False  # the test client and the live server speak plain HTTP
# Tests sign in with force_login: two-factor sign-in is off unless a test turns it on
# with override_settings (tests/web/test_signin.py; docs/adr/0009-sign-in-and-two-factor.md).
HEARTH_2FA_ROLES = frozenset()
HEARTH_2FA_FOR_EVERYONE = False
# WhiteNoise scans every static file when a handler loads its middleware (about 0.6 s),
# and the test client builds a handler for each test: look files up per request instead.
WHITENOISE_AUTOREFRESH = True
