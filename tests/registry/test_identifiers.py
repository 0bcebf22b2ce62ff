from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from jcm.db import Database
from jcm.registry import service
from jcm.registry.cli import app
from jcm.registry.errors import IdentifierInvalid
from jcm.registry.models import Registry
from tests.registry.helpers import CTX, make_world

runner = CliRunner()


def test_a_registry_gets_its_party_registry_id_and_an_approach_id(database: Database) -> None:
    make_world(database)
    with database.write() as s:
        reg = service.configure_identifiers(s, CTX, "ID", cooperative_approach_id="CA0007")
        assert (reg.cooperative_approach_id, reg.itmo_registry_id) == ("CA0007", "IDN01")
        service.configure_identifiers(s, CTX, "JP", itmo_registry_id="JPN02")
    with database.read() as s:
        ids = {
            r.code: (r.cooperative_approach_id, r.itmo_registry_id)
            for r in s.scalars(select(Registry))
        }
    assert ids == {"ID": ("CA0007", "IDN01"), "JP": (None, "JPN02")}


@pytest.mark.parametrize(
    ("approach", "registry"), [("JCM-JP-ID", None), ("CA7", None), (None, "JPN01"), (None, "IDN1")]
)
def test_malformed_identifiers_are_refused_in_both_languages(
    database: Database, approach: str | None, registry: str | None
) -> None:
    make_world(database)
    with pytest.raises(IdentifierInvalid) as err, database.write() as s:
        service.configure_identifiers(
            s, CTX, "ID", cooperative_approach_id=approach, itmo_registry_id=registry
        )
    assert err.value.message("ja") != err.value.message("en")


def test_the_cli_sets_identifiers(database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "JCM_DATABASE_URL", database.engine.url.render_as_string(hide_password=False)
    )
    make_world(database)
    res = runner.invoke(
        app, ["set-identifiers", "--registry", "ID", "--approach", "CA0001", "--json"]
    )
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["itmo_registry_id"] == "IDN01"
    res = runner.invoke(
        app, ["set-identifiers", "--registry", "ID", "--approach", "X", "--lang", "ja"]
    )
    assert res.exit_code == 2
