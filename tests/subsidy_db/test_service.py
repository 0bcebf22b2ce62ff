from __future__ import annotations

import pytest
from sqlalchemy import func, select

from jcm import audit
from jcm.auth.rules import SYSTEM_PRINCIPAL, Principal, Role
from jcm.db import Database
from jcm.errors import ImportRejected, PermissionDenied, RuleViolation
from jcm.projects.models import Project
from jcm.projects.rules import Status
from jcm.projects.service import create_project, project_detail, transition
from jcm.reference.service import ensure_organisation
from jcm.subsidy.models import SubsidyApplication
from jcm.subsidy.service import (
    application_detail,
    call_settings,
    create_application,
    save_call_settings,
    submit,
)
from jcm.subsidy.service_review import decide, screen_application
from jcm.subsidy.service_selection import import_applications
from jcm.subsidy.settings_json import dump_call_settings
from tests.projects.helpers import project_in
from tests.subsidy_db.helpers import REPRESENTATIVE, application_in, record

CTX = audit.Context(actor="tester")


def _submitted(db: Database, **overrides: object) -> str:
    with db.write() as s:
        ref = create_application(s, CTX, SYSTEM_PRINCIPAL, application_in(**overrides)).ref
        submit(s, CTX, SYSTEM_PRINCIPAL, ref)
    return ref


def test_adoption_creates_an_adopted_linked_project(database: Database) -> None:
    ref = _submitted(database)
    with database.write() as s:
        screening = screen_application(s, CTX, SYSTEM_PRINCIPAL, ref)
        assert screening.eligible
        app = decide(s, CTX, SYSTEM_PRINCIPAL, ref, "adopt", "within budget")
        project_ref = app.project_ref
    assert project_ref == "TH001"
    with database.read() as s:
        project = project_detail(s, project_ref)
        detail = application_detail(s, SYSTEM_PRINCIPAL, ref)
    assert project["status"] == "adopted"
    assert [h["to"] for h in project["history"]] == ["applied", "adopted"]
    assert [h["to"] for h in detail["history"]] == ["draft", "submitted", "screened", "adopted"]


def test_adoption_advances_an_existing_linked_project(database: Database) -> None:
    with database.write() as s:
        create_project(s, CTX, SYSTEM_PRINCIPAL, project_in(ref="TH007"))
    ref = _submitted(database, project_ref="TH007")
    with database.write() as s:
        screen_application(s, CTX, SYSTEM_PRINCIPAL, ref)
        decide(s, CTX, SYSTEM_PRINCIPAL, ref, "adopt", "")
    with database.read() as s:
        assert project_detail(s, "TH007")["status"] == "adopted"
        assert s.scalar(select(func.count()).select_from(Project)) == 1


def test_an_application_failing_screening_cannot_be_adopted(database: Database) -> None:
    ref = _submitted(database, application=record(representative_participant_country="THA"))
    with database.write() as s:
        assert not screen_application(s, CTX, SYSTEM_PRINCIPAL, ref).eligible
    with pytest.raises(RuleViolation), database.write() as s:
        decide(s, CTX, SYSTEM_PRINCIPAL, ref, "adopt", "")


def test_a_participant_cannot_submit_for_another_organisation(database: Database) -> None:
    with database.write() as s:
        ref = create_application(s, CTX, SYSTEM_PRINCIPAL, application_in()).ref
        other = ensure_organisation(s, "Other Co.", "他社", "company", "JPN")
    outsider = Principal(user_id=9, username="p", role=Role.PARTICIPANT, organisation_id=other.id)
    with pytest.raises(PermissionDenied), database.write() as s:
        submit(s, CTX, outsider, ref)
    with pytest.raises(PermissionDenied), database.write() as s:
        create_application(s, CTX, outsider, application_in(application=record(id="APP-2")))


def test_a_participant_submits_for_its_own_organisation(database: Database) -> None:
    with database.write() as s:
        own = ensure_organisation(s, REPRESENTATIVE, REPRESENTATIVE, "company", "JPN")
    me = Principal(user_id=9, username="p", role=Role.PARTICIPANT, organisation_id=own.id)
    with database.write() as s:
        ref = create_application(s, CTX, me, application_in()).ref
        assert submit(s, CTX, me, ref).status == "submitted"


def test_the_similar_count_comes_from_adopted_projects(database: Database) -> None:
    with database.write() as s:
        create_project(s, CTX, SYSTEM_PRINCIPAL, project_in(ref="TH001", technology="solar_pv"))
        create_project(s, CTX, SYSTEM_PRINCIPAL, project_in(ref="TH002"))
        for target in (Status.APPLIED, Status.ADOPTED):
            transition(s, CTX, SYSTEM_PRINCIPAL, "TH001", target, "")
    ref = _submitted(database)
    with database.write() as s:
        counted = screen_application(s, CTX, SYSTEM_PRINCIPAL, ref)
        assert (counted.similar_count, counted.similar_source) == (1, "database")
        assert counted.result["rate_cap"] == "0.4"
        overridden = screen_application(
            s, CTX, SYSTEM_PRINCIPAL, ref, similar_override=0, reason="TH001 is a pilot"
        )
    assert overridden.similar_source == "override"
    assert overridden.result["similar_projects"]["database_count"] == 1
    assert overridden.result["rate_cap"] == "0.5"


def test_a_malformed_import_writes_nothing(database: Database) -> None:
    header = "id,partner_country,technology,representative_participant_country,"
    header += "initial_investment_jpy,requested_subsidy_jpy,annual_reduction_tco2,"
    header += "annual_net_savings_jpy,implementation_months\n"
    good = "A-1,THA,solar_pv_rooftop,JPN,400000000,120000000,2000,60000000,18\n"
    bad = "A-2,THA,solar_pv_rooftop,JPN,lots,120000000,2000,60000000,18\n"
    with pytest.raises(ImportRejected) as exc, database.write() as s:
        import_applications(
            s,
            CTX,
            SYSTEM_PRINCIPAL,
            call="FY2022",
            filename="apps.csv",
            content=(header + good + bad).encode(),
            representative=REPRESENTATIVE,
        )
    assert {p.row for p in exc.value.problems} == {3}
    with database.read() as s:
        assert s.scalar(select(func.count()).select_from(SubsidyApplication)) == 0
    with database.write() as s:
        refs = import_applications(
            s,
            CTX,
            SYSTEM_PRINCIPAL,
            call="FY2022",
            filename="apps.csv",
            content=(header + good).encode(),
            representative=REPRESENTATIVE,
        ).created
    assert refs == ["A-1"]


def test_a_saved_call_version_is_the_one_used(database: Database) -> None:
    with database.read() as s:
        settings, version = call_settings(s, "FY2022")
    assert version == 0
    data = dump_call_settings(settings)
    data["ceiling_jpy"] = 1_000_000_000
    with database.write() as s:
        assert save_call_settings(s, CTX, SYSTEM_PRINCIPAL, "FY2022", data, "lower ceiling") == 2
    with database.read() as s:
        settings, version = call_settings(s, "FY2022")
    assert (settings.ceiling_jpy, version) == (1_000_000_000, 2)
