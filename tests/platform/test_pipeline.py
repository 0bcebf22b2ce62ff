from __future__ import annotations

from sqlalchemy import select

from jcm import audit
from jcm.auth.rules import SYSTEM_PRINCIPAL
from jcm.db import Database
from jcm.platform import service
from jcm.platform.demo_load import load_platform_demo
from jcm.platform.models import PlatformMeeting, PlatformNeed
from jcm.projects.models import Project
from jcm.subsidy.models import SubsidyApplication


def test_the_demo_loads_twice_without_repeating_itself(database: Database) -> None:
    with database.write() as s:
        load_platform_demo(s, audit.SYSTEM)
        load_platform_demo(s, audit.SYSTEM)
    with database.read() as s:
        assert len(service.needs(s)) == 30
        jfe = s.scalars(select(PlatformMeeting).where(PlatformMeeting.project_ref == "VN001"))
        meeting = jfe.one()
        assert meeting.slot is not None
        assert meeting.outcome == "application"


def test_the_best_match_for_bac_ninh_is_the_stoker_waste_to_energy_plant(
    database: Database,
) -> None:
    with database.write() as s:
        load_platform_demo(s, audit.SYSTEM)
    with database.read() as s:
        assert service.technologies_for(s, "N-01", 3)[0].technology == "T-WTE-01"


def test_a_matched_need_becomes_an_idea_then_an_application_draft(database: Database) -> None:
    with database.write() as s:
        load_platform_demo(s, audit.SYSTEM)
        project = service.to_project_idea(s, audit.SYSTEM, SYSTEM_PRINCIPAL, "N-07", "T-BIO-01")
        ref = service.to_application_draft(s, audit.SYSTEM, SYSTEM_PRINCIPAL, "N-07")
    with database.read() as s:
        p = s.scalars(select(Project).where(Project.ref == project.ref)).one()
        app = s.scalars(select(SubsidyApplication).where(SubsidyApplication.ref == ref)).one()
        need = s.scalars(select(PlatformNeed).where(PlatformNeed.key == "N-07")).one()
    assert p.status == "idea"
    assert p.technology == "biomass_power"
    assert p.ref.startswith("VN9")
    assert app.status == "draft"
    assert app.project_ref == p.ref
    assert app.partner_country == "VNM"
    assert need.status == "application"
