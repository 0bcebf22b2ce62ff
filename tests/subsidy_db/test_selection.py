from __future__ import annotations

from jcm import audit
from jcm.auth.rules import SYSTEM_PRINCIPAL
from jcm.db import Database
from jcm.subsidy.service_demo import load_subsidy_demo
from jcm.subsidy.service_selection import list_runs, load_run, reproduce, run_dict

CTX = audit.Context(actor="tester")


def test_the_demo_selection_run_is_stored_and_reproducible(database: Database) -> None:
    with database.write() as s:
        run_id = load_subsidy_demo(s, CTX)
    with database.read() as s:
        run = load_run(s, SYSTEM_PRINCIPAL, run_id)
        stored = run_dict(run)
        again = reproduce(s, run)
        runs = list_runs(s, SYSTEM_PRINCIPAL)
    result = stored["result"]
    assert stored["budget_jpy"] == 9_000_000_000
    assert result["left_out"], "the demo budget should leave applications out"
    assert result["total_subsidy_jpy"] <= 9_000_000_000
    assert again["selected"] == result["selected"]
    assert again["total_lifetime_reduction_tco2"] == result["total_lifetime_reduction_tco2"]
    assert runs[0]["id"] == run_id
