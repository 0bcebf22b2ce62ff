"""Demo data of the platform: the shipped technology list and needs, a city-to-city
timeline, and the 1st Japan–Viet Nam Environment Week (Jan 2019) where JFE Engineering met
Thuan Thanh Environment JSC, leading to the Bac Ninh waste-to-energy plant (VN001)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from jcm import audit
from jcm.cities.models import CityPair
from jcm.platform import service
from jcm.platform.catalogue import need_rows, technology_rows
from jcm.platform.models import (
    PlatformCityActivity,
    PlatformEvent,
    PlatformMeeting,
    PlatformMember,
    PlatformNeed,
    PlatformRegistration,
    PlatformTechnology,
)
from jcm.reference.service import ensure_organisation

EVENT_KEY = "EW-VN-2019"
TASK_FORCES = ("Waste management", "Renewable energy", "Energy efficiency")


def _num(v: str) -> float | None:
    return float(v) if v.strip() else None


def _int(v: str) -> int | None:
    return int(float(v)) if v.strip() and float(v) else None


def load_technologies(session: Session) -> None:
    for i, r in enumerate(technology_rows()):
        org = ensure_organisation(session, r["member_en"], r["member_ja"], "company", "JPN")
        member = session.scalar(
            select(PlatformMember).where(PlatformMember.organisation_id == org.id)
        )
        if member is None:
            member = PlatformMember(
                organisation_id=org.id,
                contact_name="Platform contact (illustrative)",
                contact_email=f"contact{i}@example.jp",
                seminars=["FY2022 annual meeting"],
                task_forces=[TASK_FORCES[i % 3]],
            )
            session.add(member)
            session.flush()
        keep = {k: r[k] for k in ("key", "sector", "technology_code", "capacity_unit")}
        text = {k: r[k] for k in r if k.endswith(("_en", "_ja")) and not k.startswith("member")}
        session.add(
            PlatformTechnology(
                member_id=member.id,
                **keep,
                **text,
                co2_reduction_t_per_year=int(r["co2_reduction_t_per_year"]),
                price_min_jpy=_int(r["price_min_jpy"]),
                price_max_jpy=_int(r["price_max_jpy"]),
                capacity_min=_num(r["capacity_min"]),
                capacity_max=_num(r["capacity_max"]),
                countries=r["countries"].split(),
                climates=r["climates"].split(),
                status="published",
            )
        )
    session.flush()


def load_needs(session: Session) -> None:
    kinds = {"city": "municipality", "government": "government", "company": "company"}
    for r in need_rows():
        kind = kinds[r["requester_kind"]]
        org = ensure_organisation(session, r["requester_en"], r["requester_ja"], kind, r["country"])
        text = {k: r[k] for k in r if k.endswith(("_en", "_ja")) and not k.startswith("requester")}
        session.add(
            PlatformNeed(
                key=r["key"],
                requester_id=org.id,
                requester_kind=r["requester_kind"],
                country_iso3=r["country"],
                sector=r["sector"],
                scale=_num(r["scale"]),
                scale_unit=r["scale_unit"],
                budget_jpy=_int(r["budget_jpy"]),
                language=r["language"],
                **text,
            )
        )
    session.flush()


def load_city_timeline(session: Session) -> None:
    pair = session.scalar(
        select(CityPair).where(CityPair.country_iso3 == "VNM").order_by(CityPair.id).limit(1)
    )
    if pair is None:
        return
    steps = [
        (
            "activity",
            "workshop",
            date(2021, 7, 15),
            "Kick-off workshop on waste and energy",
            "廃棄物・エネルギーに関するキックオフワークショップ",
            None,
        ),
        (
            "activity",
            "study",
            date(2021, 11, 30),
            "Feasibility study of JCM projects",
            "JCM案件の実現可能性調査",
            None,
        ),
        (
            "output",
            "declaration",
            date(2022, 3, 10),
            "Decarbonisation declaration by the partner city",
            "パートナー都市による脱炭素宣言",
            None,
        ),
        (
            "output",
            "project",
            date(2022, 6, 1),
            "Waste-to-energy project formed",
            "廃棄物発電案件の組成",
            "VN001",
        ),
    ]
    for category, kind, on, en, ja, ref in steps:
        session.add(
            PlatformCityActivity(
                city_pair_id=pair.id,
                category=category,
                kind=kind,
                on=on,
                title_en=en,
                title_ja=ja,
                project_ref=ref,
            )
        )
    session.flush()


def load_event(session: Session, ctx: audit.Context) -> None:
    event = PlatformEvent(
        key=EVENT_KEY,
        title_en="1st Japan–Viet Nam Environment Week",
        title_ja="第1回日越環境ウィーク",
        country_iso3="VNM",
        starts_on=date(2019, 1, 15),
        slots=8,
        tables=4,
        interpreters={"vi": 2},
    )
    session.add(event)
    session.flush()
    # JFE Engineering's waste-to-energy entry first: the meeting that led to Bac Ninh.
    techs = sorted(service.published(session), key=lambda t: t.key != "T-WTE-01")
    japanese = [service.member_org(session, t) for t in techs if "VNM" in t.countries][:6]
    local = [
        session.get(type(japanese[0]), n.requester_id)
        for n in service.needs(session)
        if n.country_iso3 == "VNM"
    ][:6]
    regs: dict[int, PlatformRegistration] = {}
    for side, orgs in (("japanese", japanese), ("local", local)):
        for o in orgs:
            if o is not None and o.id not in regs:
                regs[o.id] = PlatformRegistration(
                    event_id=event.id,
                    organisation_id=o.id,
                    side=side,
                    language="ja" if side == "japanese" else "vi",
                    unavailable=[],
                )
                session.add(regs[o.id])
    session.flush()
    jp = [regs[o.id] for o in japanese]
    lc = [regs[o.id] for o in local if o is not None]
    bac_ninh = service.need(session, "N-01")
    for i, a in enumerate(jp):
        for j, b in enumerate(lc[:4]):
            if (i + j) % 2 and not (i == 0 and j == 0):
                continue
            first = i == 0 and j == 0  # JFE Engineering and Thuan Thanh: both ranked first
            session.add(
                PlatformMeeting(
                    event_id=event.id,
                    requester_id=a.id,
                    target_id=b.id,
                    requester_rank=1 if first else j + 2,
                    target_rank=1 if first else i + 2,
                    interpreter_language="vi",
                    outcome="application" if first else "requested",
                    need_id=bac_ninh.id if first else None,
                    project_ref="VN001" if first else None,
                )
            )
    session.flush()
    service.schedule_event(session, ctx, EVENT_KEY)


def load_platform_demo(session: Session, ctx: audit.Context) -> None:
    """Load the platform demonstration; a second load adds nothing."""
    if session.scalar(select(PlatformEvent.id).where(PlatformEvent.key == EVENT_KEY)):
        return
    load_technologies(session)
    load_needs(session)
    load_city_timeline(session)
    load_event(session, ctx)
    bac_ninh = service.need(session, "N-01")
    bac_ninh.status, bac_ninh.project_ref = "project", "VN001"
    session.flush()
