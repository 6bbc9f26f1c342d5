"""Serve the web UI with waitress, a production WSGI server."""

from __future__ import annotations

import logging
from typing import Any

import waitress
from flask import Flask

from entrypoints.settings import WebSettings
from entrypoints.web import create_app
from entrypoints.web.session import API_EXTENSION, STORE_EXTENSION

THREADS = 128  # ALLUCANGET_WEB_THREADS: a thread blocked on the API costs little
IDENT = "allucanget"  # security.md #41: a bland Server header, no product or version
# Open connections beyond the threads wait in waitress's queue instead of being refused;
# keep-alive browsers hold a few each.
CONNECTIONS_PER_THREAD = 4


def build_server(app: Flask, host: str, port: int, threads: int = THREADS) -> Any:
    """A waitress server for `app`, bound but not yet running."""
    return waitress.create_server(
        app,
        host=host,
        port=port,
        threads=threads,
        ident=IDENT,
        connection_limit=max(100, threads * CONNECTIONS_PER_THREAD),
        # waitress would drop X-Forwarded-For before the app sees it; client_ip.py applies
        # the trusted-proxy rule itself (security.md #7), the same rule as the API's.
        clear_untrusted_proxy_headers=False,
    )


def serve(settings: WebSettings) -> None:
    """Run the web UI on settings.host:settings.web_port until interrupted."""
    logging.basicConfig(level=settings.log_level)
    app = create_app(settings)
    server = build_server(app, settings.host, settings.web_port, settings.web_threads)
    server.print_listen("allucanget web UI on http://{}:{}")
    try:
        server.run()  # returns on Ctrl-C or SystemExit
    finally:
        app.extensions[API_EXTENSION].close()
        app.extensions[STORE_EXTENSION].close()
