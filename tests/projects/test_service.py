from __future__ import annotations

import pytest
from sqlalchemy import func, select

from jcm import audit
from jcm.auth.rules import SYSTEM_PRINCIPAL, Principal, Role
from jcm.db import Database
from jcm.errors import (
    IllegalTransition,
    ImportRejected,
    NotAuthenticated,
    PermissionDenied,
    ValidationFailed,
)
from jcm.projects.importing import import_projects
from jcm.projects.models import Project
from jcm.projects.rules import Status
from jcm.projects.schemas import ProjectPatch
from jcm.projects.service import (
    ProjectQuery,
    create_project,
    list_projects,
    project_detail,
    transition,
    update_project,
)
from jcm.reference.service import ensure_organisation
from tests.projects.helpers import CSV_HEADER, project_in

CTX = audit.Context(actor="tester")


def test_a_created_project_is_listed_with_its_first_status(database: Database) -> None:
    with database.write() as s:
        create_project(s, CTX, SYSTEM_PRINCIPAL, project_in())
    with database.read() as s:
        items, total = list_projects(s, ProjectQuery(country="THA"))
        detail = project_detail(s, "TH001")
    assert total == 1
    assert items[0]["representative_participant"] == "Example Solar Co. Ltd."
    assert detail["history"][0]["to"] == "idea"


def test_a_duplicate_reference_is_refused_on_the_ref_field(database: Database) -> None:
    with database.write() as s:
        create_project(s, CTX, SYSTEM_PRINCIPAL, project_in())
    with pytest.raises(ValidationFailed) as exc, database.write() as s:
        create_project(s, CTX, SYSTEM_PRINCIPAL, project_in())
    assert exc.value.field == "ref"


def test_unknown_country_and_technology_are_both_named(database: Database) -> None:
    with pytest.raises(ValidationFailed) as exc, database.write() as s:
        create_project(
            s, CTX, SYSTEM_PRINCIPAL, project_in(partner_country="XXX", technology="warp_drive")
        )
    assert {p.field for p in exc.value.problems} >= {"partner_country", "technology"}


def test_transitions_are_recorded_with_actor_and_reason_and_skips_refused(
    database: Database,
) -> None:
    with database.write() as s:
        create_project(s, CTX, SYSTEM_PRINCIPAL, project_in())
        transition(s, CTX, SYSTEM_PRINCIPAL, "TH001", Status.APPLIED, "submitted")
    with pytest.raises(IllegalTransition), database.write() as s:
        transition(s, CTX, SYSTEM_PRINCIPAL, "TH001", Status.REGISTERED, "too early")
    with database.read() as s:
        history = project_detail(s, "TH001")["history"]
    assert [(h["to"], h["actor"], h["reason"]) for h in history] == [
        ("idea", "tester", "created"),
        ("applied", "tester", "submitted"),
    ]


def test_a_participant_may_edit_only_its_own_organisations_projects(database: Database) -> None:
    with database.write() as s:
        create_project(s, CTX, SYSTEM_PRINCIPAL, project_in())
        other = ensure_organisation(s, "Other Co.", "他社", "company", "JPN")
    intruder = Principal(9, "intruder", Role.PARTICIPANT, other.id)
    with pytest.raises(PermissionDenied), database.write() as s:
        update_project(s, CTX, intruder, "TH001", ProjectPatch(title_en="Hijacked"))
    with pytest.raises(NotAuthenticated), database.write() as s:
        update_project(s, CTX, None, "TH001", ProjectPatch(title_en="Anonymous"))


def test_search_matches_japanese_and_english_text(database: Database) -> None:
    with database.write() as s:
        create_project(s, CTX, SYSTEM_PRINCIPAL, project_in())
        create_project(
            s,
            CTX,
            SYSTEM_PRINCIPAL,
            project_in(
                ref="TH002", title_en="Boiler", title_ja="ボイラ", technology="efficient_boiler"
            ),
        )
    with database.read() as s:
        assert [i["ref"] for i in list_projects(s, ProjectQuery(q="屋根置き"))[0]] == ["TH001"]
        assert [i["ref"] for i in list_projects(s, ProjectQuery(q="BOILER"))[0]] == ["TH002"]
        assert list_projects(s, ProjectQuery(q="%"))[1] == 0


def test_pages_are_sorted_and_counted(database: Database) -> None:
    with database.write() as s:
        for n in range(1, 8):
            create_project(
                s,
                CTX,
                SYSTEM_PRINCIPAL,
                project_in(ref=f"TH{n:03d}", expected_reduction_tco2_per_year=n * 10),
            )
    with database.read() as s:
        items, total = list_projects(
            s, ProjectQuery(sort="expected_reduction", descending=True, limit=3, offset=3)
        )
    assert total == 7
    assert [i["ref"] for i in items] == ["TH004", "TH003", "TH002"]


def test_an_import_writes_every_row(database: Database) -> None:
    body = (
        CSV_HEADER
        + "TH010,THA,PV one,太陽光1,solar_pv,Sun Co.,100,2022\nVN010,VNM,Hydro,水力,small_hydro,Water Co.,2000,2021\n"
    )
    with database.write() as s:
        refs = import_projects(s, CTX, SYSTEM_PRINCIPAL, "p.csv", body.encode()).refs
    assert refs == ["TH010", "VN010"]
    with database.read() as s:
        assert project_detail(s, "VN010")["history"][0]["reason"] == "imported from p.csv"


def test_a_malformed_import_names_every_bad_row_and_writes_nothing(database: Database) -> None:
    body = (
        CSV_HEADER
        + "TH010,THA,Good,良い,solar_pv,Sun Co.,100,2022\n"
        + "TH011,THA,Bad number,悪い,solar_pv,Sun Co.,lots,2022\n"
        + "TH012,XXX,Bad country,悪い,solar_pv,Sun Co.,100,2022\n"
        + "TH010,THA,Duplicate,重複,solar_pv,Sun Co.,100,2022\n"
    )
    with pytest.raises(ImportRejected) as exc, database.write() as s:
        import_projects(s, CTX, SYSTEM_PRINCIPAL, "p.csv", body.encode())
    named = {(p.row, p.field) for p in exc.value.problems}
    assert (3, "expected_reduction_tco2_per_year") in named
    assert (4, "partner_country") in named
    assert (5, "ref") in named
    assert 2 not in {p.row for p in exc.value.problems}
    with database.read() as s:
        assert s.scalar(select(func.count()).select_from(Project)) == 0


def test_every_write_is_in_the_audit_chain(database: Database) -> None:
    with database.write() as s:
        create_project(s, CTX, SYSTEM_PRINCIPAL, project_in())
        transition(s, CTX, SYSTEM_PRINCIPAL, "TH001", Status.APPLIED, "submitted")
    with database.read() as s:
        report = audit.verify_chain(s)
    assert report.ok
    assert report.entries == 2
