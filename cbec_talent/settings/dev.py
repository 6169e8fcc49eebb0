"""Development: DEBUG on unless the environment says otherwise."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)

# `cbec-talent demo` runs no task worker: with DEBUG on and no TASKS_BACKEND chosen, background tasks
# (posting imports, optimiser runs) run inline in the request so the demo is usable on its own.
if DEBUG and not os.environ.get("TASKS_BACKEND"):
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
