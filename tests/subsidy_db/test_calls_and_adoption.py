"""Opening the next call from an earlier one, the demo's second call, and adopting a
selection run's portfolio in one step (all or none), through the services and the pages."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from jcm import audit
from jcm.auth.rules import SYSTEM_PRINCIPAL
from jcm.db import Database
from jcm.demo import load_demo
from jcm.errors import ValidationFailed
from jcm.subsidy import service, service_calls, service_review, service_selection
from jcm.subsidy.models import SubsidyApplication, SubsidyCallVersion
from jcm.subsidy.service_demo import NEXT_CALL, load_subsidy_demo
from tests.subsidy_db.test_admin_pages import _signed_in
from tests.web.helpers import csrf_of

CTX = audit.Context(actor="tester")


def _versions(db: Database, call: str) -> int:
    with db.read() as s:
        return (
            s.scalar(
                select(func.count())
                .select_from(SubsidyCallVersion)
                .where(SubsidyCallVersion.call == call)
            )
            or 0
        )


def test_opening_a_call_stores_its_first_version_and_refuses_a_second(database: Database) -> None:
    with database.write() as s:
        assert service_calls.open_call(s, CTX, SYSTEM_PRINCIPAL, "fy2024", "FY2022") == 1
    with database.read() as s:
        settings, version = service_calls.call_settings(s, "FY2024")
        assert (version, settings.fiscal_years) == (1, (2024, 2025, 2026))
        assert "FY2024" in service_calls.known_calls(s)
    for name in ("FY2024", "twenty-four"):
        with pytest.raises(ValidationFailed) as refused:
            with database.write() as s:
                service_calls.open_call(s, CTX, SYSTEM_PRINCIPAL, name, "FY2022")
        assert [p.field for p in refused.value.problems] == ["call"]
    assert _versions(database, "FY2024") == 1


def test_the_demo_has_a_second_call_whose_applications_wait_for_screening(
    database: Database,
) -> None:
    with database.write() as s:
        load_demo(s, CTX)
        load_subsidy_demo(s, CTX)
        load_subsidy_demo(s, CTX)  # a second load adds nothing
    with database.read() as s:
        items = service.list_applications(s, SYSTEM_PRINCIPAL, call=NEXT_CALL)
    assert len(items) == 5
    assert {i["status"] for i in items} == {"submitted"}
    assert sum(i["representative"] == "AAIC Japan Co. Ltd." for i in items) == 1
    assert _versions(database, NEXT_CALL) == 1


def _next_call_run(db: Database) -> int:
    with db.write() as s:
        load_demo(s, CTX)
        load_subsidy_demo(s, CTX)
        return service_selection.run_selection(s, CTX, SYSTEM_PRINCIPAL, NEXT_CALL, {}).id


def _statuses(db: Database) -> dict[str, str]:
    with db.read() as s:
        rows = s.execute(
            select(SubsidyApplication.ref, SubsidyApplication.status).where(
                SubsidyApplication.call == NEXT_CALL
            )
        ).all()
    return dict(rows)


def test_a_portfolio_with_unscreened_applications_is_not_adopted_at_all(
    database: Database,
) -> None:
    run_id = _next_call_run(database)
    with database.read() as s:
        chosen = service_selection.load_run(s, SYSTEM_PRINCIPAL, run_id).result["selected"]
    assert chosen
    with pytest.raises(ValidationFailed) as refused:
        with database.write() as s:
            service_selection.adopt_run(s, CTX, SYSTEM_PRINCIPAL, run_id)
    assert {p.field for p in refused.value.problems} == set(chosen)
    assert set(_statuses(database).values()) == {"submitted"}


def test_adopting_a_screened_portfolio_adopts_each_chosen_application_once(
    database: Database,
) -> None:
    with database.write() as s:
        load_demo(s, CTX)
        load_subsidy_demo(s, CTX)
        for item in service.list_applications(s, SYSTEM_PRINCIPAL, call=NEXT_CALL):
            service_review.screen_application(s, CTX, SYSTEM_PRINCIPAL, item["ref"])
        run = service_selection.run_selection(s, CTX, SYSTEM_PRINCIPAL, NEXT_CALL, {})
        chosen, run_id = list(run.result["selected"]), run.id
    with database.write() as s:
        adopted = service_selection.adopt_run(s, CTX, SYSTEM_PRINCIPAL, run_id)
    assert adopted == chosen
    statuses = _statuses(database)
    assert {ref for ref, st in statuses.items() if st == "adopted"} == set(chosen)
    with database.read() as s:
        linked = s.scalars(
            select(SubsidyApplication.project_ref).where(SubsidyApplication.ref.in_(chosen))
        ).all()
    assert all(linked)
    with database.write() as s:
        assert service_selection.adopt_run(s, CTX, SYSTEM_PRINCIPAL, run_id) == []


def test_an_illustrative_run_cannot_be_adopted(database: Database) -> None:
    with database.write() as s:
        load_demo(s, CTX)
        run_id = load_subsidy_demo(s, CTX)
    with pytest.raises(ValidationFailed) as refused:
        with database.write() as s:
            service_selection.adopt_run(s, CTX, SYSTEM_PRINCIPAL, run_id)
    assert [p.field for p in refused.value.problems] == ["run"]


def test_the_overview_picks_a_call_and_lists_its_applications(database: Database) -> None:
    with database.write() as s:
        load_subsidy_demo(s, CTX)
    c = _signed_in(database, "secretariat")
    page = c.get("/subsidy").text
    assert '<option value="FY2023" selected>' in page  # the newest call by default
    assert '<option value="FY2022" >' in page or '<option value="FY2022">' in page
    older = c.get("/subsidy?call=FY2022").text
    assert "FY2022 call: 17.1 billion yen" in older
    listed = c.get("/subsidy/applications?call=FY2023").text
    assert listed.count('href="/subsidy/applications/FY2023-') == 5
    assert "Mongolia" in listed or "Viet Nam" in listed or "Thailand" in listed


def test_the_secretariat_opens_the_next_call_from_the_overview(database: Database) -> None:
    c = _signed_in(database, "secretariat")
    page = c.get("/subsidy?call=FY2022").text
    r = c.post(
        "/subsidy/calls",
        data={"call": "FY2026", "based_on": "FY2022", "csrf_token": csrf_of(page)},
    )
    assert r.status_code == 200
    assert 'id="call-opened"' in r.text
    again = c.post(
        "/subsidy/calls",
        data={"call": "FY2026", "based_on": "FY2022", "csrf_token": csrf_of(page)},
    )
    assert again.status_code == 422
    assert "The call FY2026 already exists." in again.text
    assert _versions(database, "FY2026") == 1


def test_a_participant_applies_for_its_own_company_and_a_bad_figure_names_its_field(
    database: Database,
) -> None:
    c = _signed_in(database, "aaic")
    form = c.get("/subsidy/applications/new?call=FY2022").text
    assert 'id="representative"' in form
    assert "AAIC Japan Co. Ltd." in form
    assert 'name="representative"' not in form
    data = {
        "csrf_token": csrf_of(form),
        "call": "FY2022",
        "title_en": "Rooftop PV at a dairy",
        "representative": "Somebody Else K.K.",
        "partner_country": "THA",
        "technology": "solar_pv_rooftop",
        "representative_participant_country": "JPN",
        "initial_investment_jpy": "four hundred million",
        "requested_subsidy_jpy": "120000000",
        "annual_reduction_tco2": "2000",
        "annual_net_savings_jpy": "60000000",
        "implementation_months": "18",
    }
    bad = c.post("/subsidy/applications", data=data)
    assert bad.status_code == 422
    assert "Initial investment (yen)" in bad.text
    assert 'value="Rooftop PV at a dairy"' in bad.text
    with database.read() as s:
        assert s.scalar(select(func.count()).select_from(SubsidyApplication)) == 0
    good = c.post("/subsidy/applications", data={**data, "initial_investment_jpy": "400000000"})
    assert good.status_code == 200
    with database.read() as s:
        items = service.list_applications(s, SYSTEM_PRINCIPAL)
    assert [i["representative"] for i in items] == ["AAIC Japan Co. Ltd."]
