from __future__ import annotations

from sqlalchemy import select

from jcm import audit
from jcm.db import Database
from jcm.platform.demo_load import load_platform_demo
from jcm.platform.models import PlatformMeeting
from jcm.reference.models import Organisation


def test_the_demo_event_holds_the_jfe_thuan_thanh_meeting_that_led_to_bac_ninh(
    database: Database,
) -> None:
    with database.write() as s:
        load_platform_demo(s, audit.SYSTEM)
    with database.read() as s:
        meeting = s.scalar(select(PlatformMeeting).where(PlatformMeeting.project_ref == "VN001"))
        assert meeting is not None
        assert meeting.outcome == "application"
        assert meeting.slot is not None
        names = set()
        for reg_id in (meeting.requester_id, meeting.target_id):
            from jcm.platform.models import PlatformRegistration

            reg = s.get(PlatformRegistration, reg_id)
            assert reg is not None
            org = s.get(Organisation, reg.organisation_id)
            assert org is not None
            names.add(org.name_en)
    assert any("JFE" in n for n in names)
    assert any("Thuan Thanh" in n for n in names)
