"""SQLite behind the `Store` API: the schema (`schema.py`), the queries (`store.py`) and the rows
they read (`rows.py`). This package is the only place in the code base that speaks SQL."""

from bot.store.sqlite.schema import APPLICATION_ID, LATEST_VERSION, MIGRATIONS, apply_migrations
from bot.store.sqlite.store import DEFAULT_BUSY_TIMEOUT, DEFAULT_COLLECTION, Store

__all__ = [
    "APPLICATION_ID",
    "DEFAULT_BUSY_TIMEOUT",
    "DEFAULT_COLLECTION",
    "LATEST_VERSION",
    "MIGRATIONS",
    "Store",
    "apply_migrations",
]
