"""WSGI entry point (gunicorn cbec_talent.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cbec_talent.settings.production")
application = get_wsgi_application()
