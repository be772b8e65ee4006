"""WSGI entry point: `luoshi serve` (waitress) runs it; any WSGI server can."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
application = get_wsgi_application()
