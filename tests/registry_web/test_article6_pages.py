"""Who sees which Party's Article 6.2 page and AEF report."""

from __future__ import annotations

import pytest

from jcm.db import Database
from tests.registry_web.helpers import signed_in


def test_a_partner_government_sees_and_exports_only_its_own_party(world: Database) -> None:
    gov = signed_in(world, "partner-gov")
    page = gov.get("/registry/article6", params={"party": "JPN"})
    assert page.status_code == 200
    assert '<span id="party">MNG</span>' in page.text
    own = gov.get("/api/v1/registry/aef", params={"year": 2022, "party": "MNG", "format": "csv"})
    assert own.status_code == 200
    other = gov.get("/api/v1/registry/aef", params={"year": 2022, "party": "JPN", "format": "csv"})
    assert other.status_code == 403
    assert other.json()["code"] == "permission_denied"


@pytest.mark.parametrize(("user", "code"), [("aaic", 403), ("verifier", 403)])
def test_others_may_not_see_a_partys_accounts(world: Database, user: str, code: int) -> None:
    assert signed_in(world, user).get("/registry/article6").status_code == code


def test_the_secretariat_chooses_any_party(world: Database) -> None:
    staff = signed_in(world, "secretariat")
    page = staff.get("/registry/article6", params={"party": "JPN"}).text
    assert '<span id="party">JPN</span>' in page
    assert 'name="party"' in page
    assert "Use towards the NDC" in page  # Japan's −1,000 from the demo cancellation
    assert 'id="adjustments-net">-1,000<' in page
