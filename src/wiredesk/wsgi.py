"""WSGI entry point for any WSGI server (waitress in the embedded mode, gunicorn at scale)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wiredesk.settings")
application = get_wsgi_application()
