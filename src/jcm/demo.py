"""Demo data: the FY2022 adoptions and city pairs from the ministry's deck, plus records
labelled illustrative in other fiscal years so that every page has content."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from jcm import audit
from jcm.auth.models import User
from jcm.auth.rules import SYSTEM_PRINCIPAL, Role
from jcm.auth.service import create_user
from jcm.cities.models import CityPair
from jcm.projects.models import Project
from jcm.projects.rules import Programme, Status
from jcm.projects.schemas import ProjectIn
from jcm.projects.service import create_project, transition
from jcm.reference.models import Country
from jcm.reference.rules import read_csv
from jcm.reference.service import ensure_organisation

DEMO_PASSWORD = "jcm-demo-password"  # noqa: S105 - printed by `make demo`, demo data only

# Deck technology labels that combine two technologies are filed under the first one.
_TECH = {"gas_cogeneration+solar_pv_rooftop": "gas_cogeneration"}

# Approximate site locations (province level) for the map; illustrative.
_LOCATIONS: dict[int, tuple[str, str]] = {
    1: ("-1.2921", "36.8219"),
    2: ("-1.0332", "37.0693"),
    3: ("9.7579", "105.6413"),
    4: ("11.0904", "108.0721"),
    5: ("10.9804", "106.6519"),
    6: ("20.8449", "106.6881"),
    7: ("-6.2000", "106.8166"),
    8: ("13.3611", "100.9847"),
    9: ("13.6904", "101.0779"),
    10: ("13.7563", "100.5018"),
    11: ("14.0208", "100.5250"),
    12: ("13.5475", "100.2744"),
    13: ("11.0890", "124.6020"),
    14: ("8.1000", "124.7000"),
    15: ("14.5995", "120.9842"),
    16: ("14.3294", "121.0750"),
}


# (ref, country, title_en, title_ja, technology, MW, representative, rep_ja, tCO2/y, FY, status)
_ILLUSTRATIVE = [
    (
        "MN001",
        "MNG",
        "10 MW solar PV plant near Ulaanbaatar",
        "ウランバートル近郊10MW太陽光発電所",
        "solar_pv",
        "10",
        "Sharp Energy Solutions Corp.",
        "シャープエナジーソリューション株式会社",
        11_600,
        2016,
        Status.CREDITED,
    ),
    (
        "BD001",
        "BGD",
        "High-efficiency looms at a textile factory",
        "繊維工場への高効率織機の導入",
        "efficient_boiler",
        None,
        "Toyota Tsusho Corp.",
        "豊田通商株式会社",
        1_300,
        2017,
        Status.MONITORING,
    ),
    (
        "KH001",
        "KHM",
        "LED street lighting in Phnom Penh",
        "プノンペンにおけるLED街路灯の導入",
        "led_lighting",
        None,
        "Minebea Mitsumi Inc.",
        "ミネベアミツミ株式会社",
        1_800,
        2018,
        Status.REGISTERED,
    ),
    (
        "LA001",
        "LAO",
        "Small hydropower in Luang Prabang",
        "ルアンパバーン県における小水力発電",
        "small_hydro",
        "5.4",
        "Hitachi Zosen Corp.",
        "日立造船株式会社",
        14_300,
        2019,
        Status.VALIDATED,
    ),
    (
        "MV001",
        "MDV",
        "Solar PV and energy management on outer islands",
        "離島における太陽光発電とエネルギー管理",
        "solar_pv_rooftop",
        "1.2",
        "Pacific Consultants Co. Ltd.",
        "パシフィックコンサルタンツ株式会社",
        900,
        2020,
        Status.UNDER_CONSTRUCTION,
    ),
    (
        "VN001",
        "VNM",
        "Waste-to-energy plant in Bac Ninh Province",
        "バクニン省における廃棄物発電",
        "waste_to_energy",
        "11.5",
        "JFE Engineering Corp.",
        "JFEエンジニアリング株式会社",
        25_000,
        2021,
        Status.MONITORING,
    ),
    (
        "CL001",
        "CHL",
        "Solar PV at a copper mine",
        "銅鉱山への太陽光発電の導入",
        "solar_pv",
        "3.4",
        "Farmland Co. Ltd.",
        "株式会社ファームランド",
        3_200,
        2021,
        Status.ADOPTED,
    ),
    (
        "LK001",
        "LKA",
        "Inverter air conditioning at a hospital",
        "病院へのインバーターエアコン導入",
        "inverter_ac",
        None,
        "Daikin Industries Ltd.",
        "ダイキン工業株式会社",
        650,
        2023,
        Status.APPLIED,
    ),
    (
        "UZ001",
        "UZB",
        "Gas cogeneration at a chemical plant",
        "化学工場へのガスコージェネレーション導入",
        "gas_cogeneration",
        "8",
        "Mitsubishi Heavy Industries Ltd.",
        "三菱重工業株式会社",
        9_400,
        2023,
        Status.IDEA,
    ),
    (
        "PW001",
        "PLW",
        "Rooftop solar PV on public buildings in Koror",
        "コロール州公共施設への屋根置き太陽光発電",
        "solar_pv_rooftop",
        "0.6",
        "Pacific Consultants Co. Ltd.",
        "パシフィックコンサルタンツ株式会社",
        420,
        2020,
        Status.WITHDRAWN,
    ),
]

_CITY_THEMES = [
    ("Waste management and waste-to-energy", "廃棄物管理・廃棄物発電"),
    ("Energy efficiency in public buildings", "公共施設の省エネルギー"),
    ("Renewable energy and a decarbonisation roadmap", "再生可能エネルギーと脱炭素ロードマップ"),
]

# The demonstration third-party entity: the demo verifier belongs to it.
TPE_NAME = "JCM Verification Services (illustrative)"
TPE_NAME_JA = "JCM検証サービス（例示）"

DEMO_USERS = [
    ("admin", Role.ADMIN, None, "Administrator / 管理者"),
    # a second administrator, so a role grant can be approved by someone else (four eyes)
    ("admin2", Role.ADMIN, None, "Second administrator / 第二管理者"),
    ("secretariat", Role.SECRETARIAT, None, "Secretariat / 事務局"),
    ("jc-member", Role.JOINT_COMMITTEE, None, "Joint Committee / 合同委員会"),
    ("aaic", Role.PARTICIPANT, "AAIC Japan Co. Ltd.", "AAIC Japan (participant / 参加者)"),
    ("verifier", Role.THIRD_PARTY_ENTITY, TPE_NAME, "Third-party entity / 第三者機関"),
    (
        "partner-gov",
        Role.PARTNER_GOVERNMENT,
        "Government of Mongolia",
        "Government of Mongolia (partner government / パートナー国政府)",
    ),
]


def deck_projects(session: Session) -> list[ProjectIn]:
    """The 16 FY2022 JCM Model Projects, with demo references (ISO2 + 1nn)."""
    iso2 = dict(session.execute(select(Country.iso3, Country.iso2)).all())
    counters: dict[str, int] = {}
    out = []
    for r in read_csv("jcm-model-projects-fy2022.csv"):
        c = r["partner_country_iso3"]
        counters[c] = counters.get(c, 100) + 1
        lat, lon = _LOCATIONS[int(r["no"])]
        eco = r["eco_lease"].lower() == "true"
        out.append(
            ProjectIn(
                ref=f"{iso2[c]}{counters[c]:03d}",
                partner_country=c,
                title_en=r["title_en"],
                title_ja=r["title_ja"],
                technology=_TECH.get(r["technology"], r["technology"]),
                capacity_mw=Decimal(r["capacity_mw"]) if r["capacity_mw"] else None,
                representative_participant=r["representative_participant_en"],
                representative_participant_ja=r["representative_participant_ja"],
                expected_reduction_tco2_per_year=int(r["expected_reduction_tco2_per_year"]),
                fiscal_year=2022,
                programme=Programme.ECO_LEASE if eco else Programme.MODEL_PROJECT,
                latitude=Decimal(lat),
                longitude=Decimal(lon),
                status=Status.ADOPTED,
            )
        )
    return out


def _illustrative(session: Session, ctx: audit.Context) -> None:
    for ref, c, en, ja, tech, mw, rep, rep_ja, t, fy, status in _ILLUSTRATIVE:
        data = ProjectIn(
            ref=ref,
            partner_country=c,
            title_en=f"{en} (illustrative)",
            title_ja=f"{ja}（例示）",
            technology=tech,
            capacity_mw=Decimal(mw) if mw else None,
            representative_participant=rep,
            representative_participant_ja=rep_ja,
            expected_reduction_tco2_per_year=t,
            fiscal_year=fy,
            status=Status.IDEA,
            illustrative=True,
        )
        create_project(session, ctx, SYSTEM_PRINCIPAL, data)
        _walk_to(session, ctx, ref, status)


def _walk_to(session: Session, ctx: audit.Context, ref: str, status: Status) -> None:
    from jcm.projects.rules import LIFE_CYCLE

    if status is Status.WITHDRAWN:
        transition(session, ctx, SYSTEM_PRINCIPAL, ref, Status.APPLIED, "application submitted")
        transition(session, ctx, SYSTEM_PRINCIPAL, ref, Status.WITHDRAWN, "participant withdrew")
        return
    for step in LIFE_CYCLE[1 : LIFE_CYCLE.index(status) + 1]:
        transition(session, ctx, SYSTEM_PRINCIPAL, ref, step, "demo history")


def _city_pairs(session: Session) -> None:
    deck_vn = session.scalar(select(Project).where(Project.ref == "VN001"))
    for i, r in enumerate(read_csv("city-to-city-fy2022.csv")):
        en, ja = _CITY_THEMES[i % len(_CITY_THEMES)]
        pair = CityPair(
            country_iso3=r["partner_country_iso3"],
            partner_city_en=r["partner_city_en"],
            partner_city_ja=r["partner_city_ja"],
            japanese_municipality_en=r["japanese_municipality_en"],
            japanese_municipality_ja=r["japanese_municipality_ja"],
            fiscal_year=2022,
            theme_en=f"{en} (illustrative theme)",
            theme_ja=f"{ja}（例示テーマ）",
            projects=[],
        )
        session.add(pair)
    session.add(
        CityPair(
            country_iso3="VNM",
            partner_city_en="Bac Ninh Province",
            partner_city_ja="バクニン省",
            japanese_municipality_en="Kitakyushu City",
            japanese_municipality_ja="北九州市",
            fiscal_year=2019,
            theme_en="Waste-to-energy (illustrative)",
            theme_ja="廃棄物発電（例示）",
            projects=[deck_vn] if deck_vn else [],
        )
    )


def load_demo(session: Session, ctx: audit.Context = audit.SYSTEM) -> list[tuple[str, str]]:
    """Load everything once; returns the demo logins (username, role). Safe to re-run."""
    if session.scalar(select(Project.id).limit(1)) is None:
        for p in deck_projects(session):
            create_project(session, ctx, SYSTEM_PRINCIPAL, p)
        _illustrative(session, ctx)
        _city_pairs(session)
    ensure_organisation(session, "AAIC Japan Co. Ltd.", "株式会社AAIC Japan", "company", "JPN")
    # the demo partner-government user belongs to one government (named as the registry
    # demonstration names its government organisations)
    ensure_organisation(session, "Government of Mongolia", "モンゴル政府", "government", "MNG")
    tpe = ensure_organisation(session, TPE_NAME, TPE_NAME_JA, "third_party_entity", "JPN")
    for username, role, org, name in DEMO_USERS:
        user = session.scalar(select(User).where(User.username == username))
        if user is not None and org == TPE_NAME and user.organisation_id is None:
            user.organisation_id = tpe.id  # a demo loaded before the verifier had its TPE
        if user is None:
            create_user(
                session,
                ctx,
                username=username,
                password=DEMO_PASSWORD,
                role=role,
                display_name=name,
                organisation=org,
            )
    session.flush()
    return [(u, r.value) for u, r, _, _ in DEMO_USERS]
