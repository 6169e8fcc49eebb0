"""Test settings: fast hashing, in-process tasks, same database choice as the environment."""

import os

from .base import *  # noqa: F403
from .base import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and "DATABASE_URL" not in os.environ:
    DATABASES["default"]["NAME"] = ":memory:"
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_FAILURE_LIMIT = 5

# each test process signs credentials with a key of its own, outside the checkout
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

CBEC_CREDENTIAL_KEY_FILE = Path(tempfile.mkdtemp(prefix="cbec-credential-key-")) / "issuer-ed25519.pem"
