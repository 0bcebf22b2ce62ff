from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from jcm import audit
from jcm.audit import AuditEntry
from jcm.auth.rules import SYSTEM_PRINCIPAL, Principal, Role
from jcm.cities.models import CityPair
from jcm.db import Database
from jcm.errors import IllegalTransition, PermissionDenied
from jcm.platform import manage, service
from jcm.platform.demo_load import EVENT_KEY, load_platform_demo
from jcm.platform.models import PlatformEvent
from jcm.platform.schemas import (
    ActivityIn,
    InquiryIn,
    InquiryStatus,
    InquiryUpdateIn,
    MeetingRequestIn,
    OutcomeIn,
    ParticipationIn,
    RankIn,
    RegistrationIn,
    ReplyIn,
    ReviewIn,
    TechnologyIn,
    TechStatus,
)
from jcm.reference.models import Organisation

STAFF = Principal(user_id=1, username="desk", role=Role.SECRETARIAT, organisation_id=None)


def _participant(s: Session, name: str = "JFE Engineering Corporation") -> Principal:
    org = manage.organisation(s, name)
    return Principal(user_id=2, username="jfe", role=Role.PARTICIPANT, organisation_id=org.id)


def _tech() -> TechnologyIn:
    return TechnologyIn(
        sector="waste_to_energy",
        technology_code="waste_to_energy",
        name_en="Fluidised-bed sludge incinerator",
        name_ja="流動床式汚泥焼却炉",
        description_en="Sewage sludge incineration with heat recovery",
        description_ja="下水汚泥を焼却し廃熱を回収する",
        countries=["VNM", "THA"],
        climates=["tropical"],
        price_min_jpy=1_000_000_000,
        price_max_jpy=3_000_000_000,
        co2_reduction_t_per_year=4000,
    )


@pytest.fixture
def demo(database: Database) -> Database:
    with database.write() as s:
        load_platform_demo(s, audit.SYSTEM)
    return database


def test_a_participant_submits_but_only_the_secretariat_publishes(demo: Database) -> None:
    with demo.write() as s:
        p = _participant(s)
        t = manage.create_technology(s, audit.SYSTEM, p, _tech())
        key = t.key
        assert t.status == "draft"
        manage.review_technology(s, audit.SYSTEM, p, key, ReviewIn(to_status=TechStatus.IN_REVIEW))
        with pytest.raises(PermissionDenied):
            manage.review_technology(
                s, audit.SYSTEM, p, key, ReviewIn(to_status=TechStatus.PUBLISHED)
            )
        with pytest.raises(IllegalTransition):
            manage.review_technology(
                s, audit.SYSTEM, STAFF, key, ReviewIn(to_status=TechStatus.IN_REVIEW)
            )
        manage.review_technology(
            s, audit.SYSTEM, STAFF, key, ReviewIn(to_status=TechStatus.PUBLISHED, note="ok")
        )
    with demo.read() as s:
        history = manage.technology_history(s, key)
        assert [(h.from_status, h.to_status) for h in history] == [
            ("", "draft"),
            ("draft", "in_review"),
            ("in_review", "published"),
        ]
        assert service.technology(s, key).status == "published"
        logged = s.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == key)).all()
        assert logged.count("platform.technology.review") == 2


def test_a_participant_cannot_edit_another_members_entry(demo: Database) -> None:
    with demo.write() as s:
        p = _participant(s)
        with pytest.raises(PermissionDenied):
            manage.update_technology(s, audit.SYSTEM, p, "T-WTE-02", _tech())
        updated = manage.update_technology(s, audit.SYSTEM, p, "T-WTE-01", _tech())
        assert updated.status == "draft"  # an edited published entry is reviewed again


def test_search_finds_entries_in_japanese_and_in_english(demo: Database) -> None:
    with demo.read() as s:
        en = [h.technology.key for h in manage.search_technologies(s, "waste incineration")]
        ja = [h.technology.key for h in manage.search_technologies(s, "廃棄物発電")]
        tropical = manage.search_technologies(s, "", climate="tropical", country="MDV")
    assert "T-WTE-01" in en[:3]
    assert "T-WTE-01" in ja[:3]
    assert tropical
    assert all("MDV" in h.technology.countries for h in tropical)


def test_needs_are_ranked_for_a_technology_with_reasons(demo: Database) -> None:
    with demo.read() as s:
        found = manage.needs_for_technology(s, "T-WTE-01", 5)
    assert found[0].need == "N-01"
    assert found[0].criteria["sector"] == 1.0
    assert found[0].explain()


def test_an_inquiry_keeps_its_reply_history(demo: Database) -> None:
    asker = Principal(
        user_id=3, username="hanoi", role=Role.PARTNER_GOVERNMENT, organisation_id=None
    )
    with demo.write() as s:
        i = manage.open_inquiry(
            s,
            audit.SYSTEM,
            asker,
            InquiryIn(subject="Landfill gas", body="Who can help?", need="N-01"),
        )
        manage.reply(s, audit.SYSTEM, STAFF, i.id, ReplyIn(body="Two members can."))
        assert i.status == "answered"
        assert i.owner == "desk"
        manage.reply(s, audit.SYSTEM, asker, i.id, ReplyIn(body="Please introduce them."))
        assert i.status == "open"
        with pytest.raises(PermissionDenied):
            manage.update_inquiry(
                s, audit.SYSTEM, asker, i.id, InquiryUpdateIn(status=InquiryStatus.CLOSED)
            )
        manage.update_inquiry(
            s, audit.SYSTEM, STAFF, i.id, InquiryUpdateIn(status=InquiryStatus.CLOSED)
        )
        with pytest.raises(IllegalTransition):
            manage.reply(s, audit.SYSTEM, asker, i.id, ReplyIn(body="One more"))
        inquiry_id = i.id
    with demo.read() as s:
        data = manage.inquiry_dict(s, manage.inquiry(s, STAFF, inquiry_id))
    assert [r["author"] for r in data["replies"]] == ["hanoi", "desk", "hanoi"]
    assert data["status"] == "closed"
    assert data["need"] == "N-01"


def _pair(s: Session) -> CityPair:
    pair = CityPair(
        country_iso3="VNM",
        partner_city_en="Hai Phong",
        partner_city_ja="ハイフォン市",
        japanese_municipality_en="Kitakyushu",
        japanese_municipality_ja="北九州市",
        fiscal_year=2021,
    )
    s.add(pair)
    s.flush()
    return pair


def test_city_activities_and_outputs_form_a_timeline(demo: Database) -> None:
    with demo.write() as s:
        pair = _pair(s)
        before = len(manage.timeline(s, pair.id))
        manage.add_activity(
            s, audit.SYSTEM, STAFF, pair.id,
            ActivityIn(category="activity", kind="workshop", on=date(2020, 1, 5),
                       title_en="Early scoping workshop", title_ja="初期ワークショップ"),
        )  # fmt: skip
        with pytest.raises(PermissionDenied):
            manage.add_activity(
                s, audit.SYSTEM, _participant(s), pair.id,
                ActivityIn(category="output", kind="project", on=date(2023, 1, 1), title_en="x"),
            )  # fmt: skip
        pair_id = pair.id
    with demo.read() as s:
        line = manage.timeline(s, pair_id)
    assert len(line) == before + 1
    assert line[0].title_en == "Early scoping workshop"
    assert [a.on for a in line] == sorted(a.on for a in line)


def test_members_participation_is_recorded_by_the_secretariat(demo: Database) -> None:
    with demo.write() as s:
        m = manage.members(s)[0].member
        manage.record_participation(
            s, audit.SYSTEM, STAFF, m.id, ParticipationIn(kind="seminar", name="Hanoi seminar 2023")
        )
        manage.record_participation(
            s, audit.SYSTEM, STAFF, m.id, ParticipationIn(kind="task_force", name="Waste TF")
        )
        with pytest.raises(PermissionDenied):
            manage.record_participation(
                s, audit.SYSTEM, _participant(s), m.id, ParticipationIn(kind="seminar", name="x")
            )
        assert m.seminars[-1] == "Hanoi seminar 2023"
        assert m.task_forces[-1] == "Waste TF"


def test_registrations_and_requests_are_scheduled_without_conflicts(demo: Database) -> None:
    with demo.write() as s:
        e = manage.event(s, EVENT_KEY)
        orgs = s.scalars(select(Organisation).order_by(Organisation.id)).all()
        taken = {r.organisation_id for r in manage.registrations(s, e)}
        free = [o for o in orgs if o.id not in taken][:2]
        jp = manage.register(
            s, audit.SYSTEM, STAFF, EVENT_KEY,
            RegistrationIn(organisation=free[0].name_en, side="japanese", language="ja",
                           unavailable=[0, 1]),
        )  # fmt: skip
        local = manage.register(
            s,
            audit.SYSTEM,
            STAFF,
            EVENT_KEY,
            RegistrationIn(organisation=free[1].name_en, side="local", language="vi"),
        )
        m = manage.request_meeting(
            s,
            audit.SYSTEM,
            STAFF,
            EVENT_KEY,
            MeetingRequestIn(requester=jp.id, target=local.id, rank=1),
        )
        assert m.interpreter_language == "vi"
        manage.rank_meeting(s, audit.SYSTEM, STAFF, m.id, RankIn(rank=2, side="target"))
        with pytest.raises(PermissionDenied):
            manage.run_schedule(s, audit.SYSTEM, _participant(s), EVENT_KEY)
        result = manage.run_schedule(s, audit.SYSTEM, STAFF, EVENT_KEY)
        assert m.id in result.placed
        meeting_id, jp_id = m.id, jp.id
    with demo.read() as s:
        e = s.scalars(select(PlatformEvent).where(PlatformEvent.key == EVENT_KEY)).one()
        placed = [x for x in manage.meetings(s, e) if x.slot is not None]
        people = Counter((who, x.slot) for x in placed for who in (x.requester_id, x.target_id))
        tables = Counter((x.slot, x.table_no) for x in placed)
        assert max(people.values()) == 1
        assert max(tables.values()) == 1
        assert all(x.table_no is not None and x.table_no < e.tables for x in placed)
        mine = manage.personal_schedule(s, e, manage.registration(s, e, jp_id))
        assert [a.meeting.id for a in mine] == [meeting_id]
        assert mine[0].slot not in (0, 1)


def test_a_meeting_lead_becomes_an_idea_and_an_application(demo: Database) -> None:
    with demo.write() as s:
        e = manage.event(s, EVENT_KEY)
        m = next(x for x in manage.meetings(s, e) if x.outcome == "requested")
        manage.record_outcome(s, audit.SYSTEM, STAFF, m.id, OutcomeIn(outcome="lead", need="N-07"))
        manage.record_outcome(
            s,
            audit.SYSTEM,
            SYSTEM_PRINCIPAL,
            m.id,
            OutcomeIn(outcome="idea", technology="T-BIO-01"),
        )
        assert m.project_ref is not None
        manage.record_outcome(s, audit.SYSTEM, STAFF, m.id, OutcomeIn(outcome="application"))
        assert m.outcome == "application"
        assert service.need(s, "N-07").application_ref is not None
