from __future__ import annotations

import pytest

from jcm.db import Database
from jcm.demo import load_demo
from jcm.registry.demo_load import load_registry_demo


@pytest.fixture
def world(database: Database) -> Database:
    """The demo projects and users, with the registry demonstration loaded."""
    with database.write() as s:
        load_demo(s)
    load_registry_demo(database)
    return database
