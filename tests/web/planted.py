"""A session planted straight into the web UI's store, for tests that need given tokens."""

from __future__ import annotations

from flask.testing import FlaskClient

from entrypoints.web.session import SESSION_ID, STORE_EXTENSION
from entrypoints.web.session_store import Entry


def plant_session(client: FlaskClient, access: str, refresh: str, email: str) -> str:
    """A server-side session with these tokens, its id in the client's cookie."""
    store = client.application.extensions[STORE_EXTENSION]
    entry = Entry(access, refresh, "u-planted", email, "user", store.now() + 3600)
    session_id: str = store.create(entry)
    with client.session_transaction() as session:
        session[SESSION_ID] = session_id
    return session_id
