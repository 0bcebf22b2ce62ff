"""Composition helpers shared by the CLI and the web app: settings in, database out."""

from __future__ import annotations

from jcm.db import Database
from jcm.settings import Settings, get_settings


def open_database(settings: Settings | None = None) -> Database:
    """The database named by the settings (an SQLite file in the data directory by default)."""
    s = settings or get_settings()
    return Database.from_url(s.resolved_database_url)
