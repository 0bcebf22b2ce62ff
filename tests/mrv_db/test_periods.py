from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from jcm.audit import AuditEntry
from jcm.db import Database
from jcm.errors import PermissionDenied, ValidationFailed
from jcm.mrv import periods, service
from jcm.mrv.models import Calculation
from jcm.projects.models import Project
from tests.mrv_db.helpers import CTX, period_with_calculation, solar_project, stranger


def test_binding_keeps_the_project_methodology_in_sync(database: Database) -> None:
    with database.write() as s:
        solar_project(s)
        assert s.scalar(select(Project.methodology_id)) == "TH_AM001"
        assert service.project_periods(s, "TH001")["methodology"] == "TH_AM001:1.0"


def test_an_overlapping_period_is_refused_naming_both_periods(database: Database) -> None:
    with database.write() as s:
        owner = solar_project(s)
        periods.create_period(s, CTX, owner, "TH001", date(2024, 1, 1), date(2024, 3, 31))
        with pytest.raises(periods.PeriodOverlap) as refused:
            periods.create_period(s, CTX, owner, "TH001", date(2024, 3, 31), date(2024, 6, 30))
        assert "2024-01-01" in refused.value.message_en
        assert "2024-03-31" in refused.value.message_ja
        periods.create_period(s, CTX, owner, "TH001", date(2024, 4, 1), date(2024, 6, 30))


def test_a_period_needs_a_bound_methodology(database: Database) -> None:
    with database.write() as s:
        owner = solar_project(s)
        from jcm.auth.rules import SYSTEM_PRINCIPAL
        from jcm.projects.service import create_project
        from tests.projects.helpers import project_in

        create_project(s, CTX, SYSTEM_PRINCIPAL, project_in(ref="TH002"))
        with pytest.raises(periods.NotBound):
            periods.create_period(s, CTX, owner, "TH002", date(2024, 1, 1), date(2024, 1, 31))


def test_a_calculation_keeps_result_provenance_and_file_fingerprint(database: Database) -> None:
    with database.write() as s:
        owner = solar_project(s)
        period_id = period_with_calculation(s, owner)
    with database.read() as s:
        detail = service.period_detail(s, period_id)
        calc = detail["calculation"]
        assert calc["emission_reductions_tco2"] == detail["claimed_er_tco2"] > 0
        assert len(calc["file"]["sha256"]) == 64
        assert calc["result"]["provenance"]["methodology"]["version"] == "1.0"
        assert calc["daily"]
        assert calc["daily"][0]["parameter"] == "EG"
        stored = service.get_calculation(s, calc["id"])
        assert stored.report_xlsx[:2] == b"PK"


def test_a_bad_upload_stores_nothing_and_names_the_row(database: Database) -> None:
    with database.write() as s:
        owner = solar_project(s)
        period = periods.create_period(s, CTX, owner, "TH001", date(2024, 1, 1), date(2024, 1, 3))
        period_id = period.id
    bad = b"timestamp,point,parameter,value,unit\n2024-01-01T00:00:00+00:00,PV-0000,EG,abc,kWh\n"
    audits_before = _audit_count(database)
    with pytest.raises(ValidationFailed) as refused, database.write() as s:
        periods.store_calculation(
            s, CTX, owner, period_id, filename="bad.csv", content=bad, input_json="{}"
        )
    assert refused.value.problems
    with database.read() as s:
        assert s.scalar(select(func.count(Calculation.id))) == 0
    assert _audit_count(database) == audits_before


def test_an_unknown_file_type_is_refused(database: Database) -> None:
    with database.write() as s:
        owner = solar_project(s)
        period = periods.create_period(s, CTX, owner, "TH001", date(2024, 1, 1), date(2024, 1, 3))
        with pytest.raises(periods.UploadRefused):
            periods.store_calculation(
                s, CTX, owner, period.id, filename="x.txt", content=b"x", input_json="{}"
            )


def test_another_organisation_cannot_add_periods(database: Database) -> None:
    with database.write() as s:
        solar_project(s)
        with pytest.raises(PermissionDenied):
            periods.create_period(s, CTX, stranger(s), "TH001", date(2024, 1, 1), date(2024, 1, 31))


def _audit_count(db: Database) -> int:
    with db.read() as s:
        return s.scalar(select(func.count(AuditEntry.id))) or 0
