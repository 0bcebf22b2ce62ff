from __future__ import annotations

from jcm.db import Database
from jcm.demo import load_demo
from jcm.mrv import service
from jcm.mrv.demo_load import load_mrv_demo


def test_the_demo_has_a_verified_pv_period_and_a_hydro_period_under_verification(
    database: Database,
) -> None:
    with database.write() as s:
        load_demo(s)
        assert load_mrv_demo(s) == 3
        assert load_mrv_demo(s) == 0
    with database.read() as s:
        verified = service.verified_periods(s)
        assert [v.project_ref for v in verified] == ["TH103"]
        assert verified[0].verified_er > 0
        hydro = service.project_periods(s, "PH102")["periods"][0]
        detail = service.period_detail(s, hydro["id"])
        assert detail["status"] == "under_verification"
        assert detail["findings"][0]["status"] == "open"
        qa = service.project_periods(s, "TH104")["periods"][0]
        assert service.period_detail(s, qa["id"])["calculation"]["qa_issues"] > 0
