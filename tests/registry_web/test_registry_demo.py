from __future__ import annotations

from jcm.db import Database
from jcm.registry import service
from jcm.registry.demo_load import load_registry_demo
from tests.registry_web.helpers import bearer
from tests.web.helpers import client


def test_the_demo_loads_twice_without_repeating_anything(world: Database) -> None:
    with world.read() as s:
        before = {a.number: a.balance for a in service.accounts(s)}
    assert load_registry_demo(world)["issuances"] == 4
    with world.read() as s:
        assert {a.number: a.balance for a in service.accounts(s)} == before
        report = service.verify(s)
    assert report.ok, report.problems
    assert report.transactions == 8
    assert before["JP-RET-01"] == 200
    assert before["JP-CAN-01"] == 1000


def test_a_partner_government_moves_only_partner_government_units(world: Database) -> None:
    c, gov = client(world), bearer(world, "partner-gov")
    numbers = {a["number"] for a in c.get("/api/v1/registry/accounts", headers=gov).json()}
    assert "MN-GOV-01" in numbers
    assert "JP-GOV-01" not in numbers
    assert "JP-AAIC-01" not in numbers
