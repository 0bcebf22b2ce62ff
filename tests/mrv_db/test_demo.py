from __future__ import annotations

from sqlalchemy import select

from jcm.auth.models import User
from jcm.db import Database
from jcm.demo import TPE_NAME, load_demo
from jcm.mrv import service
from jcm.mrv.demo_load import load_mrv_demo
from jcm.mrv.workflow import PeriodStatus
from jcm.reference.models import Organisation
from jcm.registry.handoff import requested_periods


def test_the_demo_has_a_period_in_every_state_and_one_in_the_issuance_queue(
    database: Database,
) -> None:
    with database.write() as s:
        load_demo(s)
        assert load_mrv_demo(s) == 8
        assert load_mrv_demo(s) == 0
    with database.read() as s:
        verified = service.verified_periods(s)
        assert [(v.project_ref, v.status) for v in verified] == [
            ("KE101", "issuance_requested"),
            ("KE101", "verified"),
            ("TH103", "verified"),
        ]
        assert all(v.verified_er > 0 for v in verified)
        kenya = [p["status"] for p in service.project_periods(s, "KE101")["periods"]]
        hydro = [p["status"] for p in service.project_periods(s, "PH102")["periods"]]
        draft = [p["status"] for p in service.project_periods(s, "TH104")["periods"]]
        assert {*kenya, *hydro, *draft} == {st.value for st in PeriodStatus}
        ke_march = service.project_periods(s, "KE101")["periods"][2]
        detail = service.period_detail(s, ke_march["id"])
        assert detail["status"] == "under_verification"
        assert detail["findings"][0]["status"] == "open"
        qa = service.project_periods(s, "TH104")["periods"][0]
        assert service.period_detail(s, qa["id"])["calculation"]["qa_issues"] > 0
        queue = requested_periods(s)
        assert [(r.project, str(r.start), r.verified_tco2) for r in queue] == [
            ("KE101", "2024-01-01", verified[0].verified_er)
        ]
        tpe = s.scalar(select(Organisation.id).where(Organisation.name_en == TPE_NAME))
        verifier = s.scalar(select(User).where(User.username == "verifier"))
        assert verifier is not None
        assert verifier.organisation_id == tpe
