"""Demo data for the subsidy pages: the engine's illustrative applications, submitted and
screened, and one selection run at a budget tight enough to show the trade-offs (FY2022);
and a second call (FY2023) carried forward from it, whose applications wait to be screened,
one of them from the demo participant's company."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from jcm import audit
from jcm.auth.rules import SYSTEM_PRINCIPAL
from jcm.subsidy.demo import demo_applications
from jcm.subsidy.models import SubsidyApplication, SubsidySelectionRun
from jcm.subsidy.schemas import ApplicationIn
from jcm.subsidy.service import create_application, submit
from jcm.subsidy.service_calls import call_settings, known_calls, open_call
from jcm.subsidy.service_review import screen_application
from jcm.subsidy.service_selection import run_selection
from jcm.subsidy.settings import FY2022

DEMO_BUDGET_JPY = 9_000_000_000
REPRESENTATIVES = (
    ("Illustrative Engineering Japan K.K.", "例示エンジニアリング株式会社"),
    ("Illustrative Trading Co., Ltd.", "例示商事株式会社"),
    ("Illustrative Power Japan Inc.", "例示パワー株式会社"),
)


def load_subsidy_demo(session: Session, ctx: audit.Context) -> int:
    """Store the illustrative applications and one selection run; returns the run's id.
    Loading twice adds nothing."""
    existing = session.scalar(
        select(SubsidySelectionRun.id).where(SubsidySelectionRun.illustrative.is_(True)).limit(1)
    )
    if existing is not None:
        return existing
    for i, app in enumerate(demo_applications(FY2022)):
        if session.scalar(select(SubsidyApplication.id).where(SubsidyApplication.ref == app.id)):
            continue
        tech = FY2022.technology_by_code[app.technology]
        rep_en, rep_ja = REPRESENTATIVES[i % len(REPRESENTATIVES)]
        data = app.as_dict()
        body = ApplicationIn(
            title_en=f"{tech.name_en} in {app.partner_country} (illustrative)",
            title_ja=f"{app.partner_country}における{tech.name_ja}（例示）",
            representative=rep_en,
            representative_ja=rep_ja,
            illustrative=True,
            application=data,
        )
        create_application(session, ctx, SYSTEM_PRINCIPAL, body)
        submit(session, ctx, SYSTEM_PRINCIPAL, app.id)
        screen_application(
            session,
            ctx,
            SYSTEM_PRINCIPAL,
            app.id,
            similar_override=app.similar_projects_in_country,
            reason=app.similar_projects_override_reason or "Illustrative count",
        )
    run = run_selection(
        session,
        ctx,
        SYSTEM_PRINCIPAL,
        FY2022.call,
        {"budget_jpy": DEMO_BUDGET_JPY},
        illustrative=True,
    )
    load_next_call(session, ctx)
    return run.id


NEXT_CALL = "FY2023"
# Which FY2022 demo rows the FY2023 call receives again, and from whom (the first from the
# demo participant's company, so its own list is not empty).
NEXT_CALL_ROWS = (
    (0, ("AAIC Japan Co. Ltd.", "株式会社AAIC Japan")),
    (2, REPRESENTATIVES[0]),
    (4, REPRESENTATIVES[1]),
    (7, REPRESENTATIVES[2]),
    (11, REPRESENTATIVES[0]),
)


def load_next_call(session: Session, ctx: audit.Context) -> None:
    """Open FY2023 with FY2022's rules and submit five applications to it, unscreened."""
    if NEXT_CALL in known_calls(session):
        return
    open_call(session, ctx, SYSTEM_PRINCIPAL, NEXT_CALL, FY2022.call)
    settings, _ = call_settings(session, NEXT_CALL)
    apps = demo_applications(settings)
    for index, (rep_en, rep_ja) in NEXT_CALL_ROWS:
        app = apps[index]
        tech = settings.technology_by_code[app.technology]
        data = app.as_dict()
        data.pop("id")
        body = ApplicationIn(
            call=NEXT_CALL,
            title_en=f"{tech.name_en} in {app.partner_country} (illustrative)",
            title_ja=f"{app.partner_country}における{tech.name_ja}（例示）",
            representative=rep_en,
            representative_ja=rep_ja,
            illustrative=True,
            application=data,
        )
        row = create_application(session, ctx, SYSTEM_PRINCIPAL, body)
        submit(session, ctx, SYSTEM_PRINCIPAL, row.ref)
