"""`luoshi serve`: the web app under waitress, a WSGI server that survives slow clients.

Waitress reads every request on its own event loop and hands a worker thread only a request
that has fully arrived, so connections that send their headers a byte at a time (a slow phone
line, or a slowloris) hold no thread: with the sync workers `make demo` used before, two such
connections stalled every user. Bodies larger than the largest upload are refused by waitress
from their declared length; the app's own middleware refuses by page (luoshi.bodylimit).
For a province: several `luoshi serve` processes (or hosts) behind the organisation's proxy.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.management.base import BaseCommand

from luoshi.sources.forms import MAX_UPLOAD_BYTES


class Command(BaseCommand):
    help = "Serve the web app (waitress): slow clients hold no worker thread."

    def add_arguments(self, parser):
        parser.add_argument("--listen", default=os.environ.get("LUOSHI_LISTEN", "127.0.0.1:8000"),
                            help="host:port to listen on (default 127.0.0.1:8000, or LUOSHI_LISTEN)")
        parser.add_argument("--threads", type=int, default=int(os.environ.get("LUOSHI_THREADS", "8")),
                            help="worker threads for complete requests (default 8, or LUOSHI_THREADS)")

    def handle(self, *args, listen: str, threads: int, **options):
        import waitress

        from luoshi.wsgi import application

        largest = max(MAX_UPLOAD_BYTES, settings.LUOSHI["MAX_REPORT_BYTES"]) + 1024 * 1024
        options = {}
        if os.environ.get("LUOSHI_TRUSTED_PROXY"):  # the proxy's address: only its forwarded headers count
            options = {"trusted_proxy": os.environ["LUOSHI_TRUSTED_PROXY"],
                       "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"}}
        self.stdout.write(f"serving on http://{listen}/ ({threads} threads)")
        waitress.serve(
            application, listen=listen, threads=threads,
            connection_limit=int(os.environ.get("LUOSHI_CONNECTION_LIMIT", "500")),
            channel_timeout=60,  # a connection silent this long is closed
            max_request_body_size=largest,
            ident="luoshi",
            **options,
        )
