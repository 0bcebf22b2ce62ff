"""User administration through the service, on SQLite and PostgreSQL: each change audited,
privileged grants held for a second administrator, refusals writing nothing."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from jcm import audit
from jcm.approvals import service as approvals
from jcm.approvals.models import PendingOperation
from jcm.approvals.service import SameApprover
from jcm.audit import AuditEntry
from jcm.auth import admin
from jcm.auth import service as auth
from jcm.auth.models import User, UserTotp, WebSession
from jcm.auth.rules import Principal
from jcm.db import Database
from jcm.demo import DEMO_PASSWORD, load_demo
from jcm.errors import PermissionDenied, ValidationFailed
from jcm.reference.models import Organisation
from jcm.web.waiting import for_principal
from tests.security.helpers import enrol

TEMP = "a-temporary-pass-2024"


@pytest.fixture
def world(database: Database) -> Database:
    with database.write() as s:
        load_demo(s)
    return database


def _who(db: Database, username: str) -> Principal:
    with db.read() as s:
        user = s.scalar(select(User).where(User.username == username))
        assert user is not None
        return auth.principal_of(user)


def _user(db: Database, username: str) -> User:
    with db.read() as s:
        user = s.scalar(select(User).where(User.username == username))
        assert user is not None
        s.expunge(user)
        return user


def _org(db: Database, name: str) -> str:
    with db.read() as s:
        org_id = s.scalar(select(Organisation.id).where(Organisation.name_en == name))
    return str(org_id)


def _actions(db: Database, entity_id: str) -> list[str]:
    with db.read() as s:
        rows = s.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.entity_id == entity_id)
            .order_by(AuditEntry.id)
        )
        return list(rows)


def _ctx(actor: str) -> audit.Context:
    return audit.Context(actor=actor)


def _create(db: Database, username: str, role: str, organisation: str = "") -> admin.Outcome:
    form = admin.NewUser(username, TEMP, role, f"{username} san", "", organisation, "en")
    with db.write() as s:
        _, outcome = admin.create(s, _ctx("admin"), _who(db, "admin"), form)
    return outcome


def _code(totp: object) -> str:
    return totp.at(time.time() + 30)  # type: ignore[attr-defined]


def test_a_participant_is_created_at_once_and_audited(world: Database) -> None:
    outcome = _create(world, "tanaka", "participant", _org(world, "AAIC Japan Co. Ltd."))
    assert outcome.done is admin.Done.APPLIED
    user = _user(world, "tanaka")
    assert (user.role, user.is_active, user.display_name) == ("participant", True, "tanaka san")
    assert _actions(world, "tanaka") == ["user.create"]
    with world.write() as s:
        assert auth.sign_in(s, "tanaka", TEMP, "", None).username == "tanaka"


def test_a_secretariat_grant_waits_for_a_second_administrator(world: Database) -> None:
    outcome = _create(world, "suzuki", "secretariat")
    assert outcome.done is admin.Done.HELD
    assert outcome.pending_operation_id
    op_id = outcome.pending_operation_id
    assert _user(world, "suzuki").is_active is False  # no sign-in before the approval
    with world.write() as s, pytest.raises(auth.SignInFailed):
        auth.sign_in(s, "suzuki", TEMP, "", None)
    first = enrol(world, "admin")
    with pytest.raises(SameApprover):
        approvals.approve(world, _ctx("admin"), _who(world, "admin"), op_id, _code(first))
    secretariat = _who(world, "secretariat")
    with world.read() as s:
        assert all(op.kind != "role_grant" for op in approvals.visible(s, secretariat))
        items = {i.key: i.count for i in for_principal(s, _who(world, "admin2"))}
    assert items["role_grants_to_approve"] == 1
    assert items["approvals_to_decide"] == 0
    with pytest.raises(PermissionDenied):
        approvals.approve(world, _ctx("secretariat"), secretariat, op_id, "123456")
    second = enrol(world, "admin2")
    done = approvals.approve(world, _ctx("admin2"), _who(world, "admin2"), op_id, _code(second))
    assert done.status == "approved"
    assert done.approver == "admin2"
    user = _user(world, "suzuki")
    assert (user.role, user.is_active) == ("secretariat", True)
    assert _actions(world, "suzuki") == ["user.create", "user.role_change"]


def test_a_role_change_applies_or_is_held_and_never_locks_the_admin_out(world: Database) -> None:
    tpe = _org(world, "JCM Verification Services (illustrative)")
    with world.write() as s:
        out = admin.change_role(
            s,
            _ctx("admin"),
            _who(world, "admin"),
            "aaic",
            role="third_party_entity",
            organisation=tpe,
        )
    assert out.done is admin.Done.APPLIED
    assert _user(world, "aaic").role == "third_party_entity"
    with world.write() as s:
        held = admin.change_role(
            s, _ctx("admin"), _who(world, "admin"), "aaic", role="joint_committee", organisation=""
        )
    assert held.done is admin.Done.HELD
    assert _user(world, "aaic").role == "third_party_entity"  # until approved
    with world.write() as s, pytest.raises(ValidationFailed) as again:
        admin.change_role(
            s, _ctx("admin"), _who(world, "admin"), "aaic", role="admin", organisation=""
        )
    assert again.value.problems[0].field == "role"
    with world.write() as s, pytest.raises(ValidationFailed) as self_demotion:
        admin.change_role(
            s, _ctx("admin"), _who(world, "admin"), "admin", role="secretariat", organisation=""
        )
    assert self_demotion.value.problems[0].field == "role"
    assert _user(world, "admin").role == "admin"


def test_a_refused_form_names_every_field_and_writes_nothing(world: Database) -> None:
    with world.read() as s:
        before = (
            s.scalar(select(func.count()).select_from(User)),
            s.scalar(select(func.count()).select_from(AuditEntry)),
        )
    form = admin.NewUser("x", "short", "participant", "n" * 121, "not an email", "", "fr")
    with world.write() as s, pytest.raises(ValidationFailed) as refused:
        admin.create(s, _ctx("admin"), _who(world, "admin"), form)
    fields = {p.field for p in refused.value.problems}
    assert fields == {"username", "password", "organisation", "display_name", "email", "language"}
    assert all(p.message_en and p.message_ja for p in refused.value.problems)
    form = admin.NewUser("tanaka", TEMP, "emperor", "", "", "99999999999", "ja")
    with world.write() as s, pytest.raises(ValidationFailed) as refused:
        admin.create(s, _ctx("admin"), _who(world, "admin"), form)
    assert {p.field for p in refused.value.problems} == {"role", "organisation"}
    with world.read() as s:
        after = (
            s.scalar(select(func.count()).select_from(User)),
            s.scalar(select(func.count()).select_from(AuditEntry)),
        )
    assert after == before


def test_reset_mfa_deactivate_and_reactivate(world: Database) -> None:
    enrol(world, "aaic")
    with world.write() as s:
        user = s.scalar(select(User).where(User.username == "aaic"))
        assert user is not None
        auth.start_session(s, _ctx("aaic"), user)
        assert (
            admin.reset_mfa(s, _ctx("admin"), _who(world, "admin"), "aaic").done
            is admin.Done.APPLIED
        )
    aaic = _user(world, "aaic")
    with world.read() as s:
        assert s.get(UserTotp, aaic.id) is None
        assert (
            s.scalar(
                select(func.count())
                .select_from(WebSession)
                .where(WebSession.user_id == aaic.id, WebSession.ended_at.is_(None))
            )
            == 0
        )
        assert admin.row(s, "aaic").enrolled is False
    with world.write() as s:
        assert (
            admin.reset_mfa(s, _ctx("admin"), _who(world, "admin"), "aaic").done
            is admin.Done.UNCHANGED
        )
        assert (
            admin.set_active(s, _ctx("admin"), _who(world, "admin"), "aaic", False).done
            is admin.Done.APPLIED
        )
    with world.write() as s, pytest.raises(auth.SignInFailed):
        auth.sign_in(s, "aaic", DEMO_PASSWORD, "", None)
    with world.write() as s, pytest.raises(ValidationFailed) as refused:
        admin.set_active(s, _ctx("admin"), _who(world, "admin"), "admin", False)
    assert refused.value.problems[0].field == "active"
    with world.write() as s:
        assert (
            admin.set_active(s, _ctx("admin"), _who(world, "admin"), "aaic", True).done
            is admin.Done.APPLIED
        )
        assert (
            admin.set_active(s, _ctx("admin"), _who(world, "admin"), "jc-member", False).done
            is admin.Done.APPLIED
        )
        back = admin.set_active(s, _ctx("admin"), _who(world, "admin"), "jc-member", True)
    assert back.done is admin.Done.HELD  # giving a Joint Committee member access back
    assert _user(world, "jc-member").is_active is False
    assert _actions(world, "aaic")[-3:] == ["user.mfa_reset", "user.deactivate", "user.reactivate"]
    with world.read() as s:
        ops = list(s.scalars(select(PendingOperation).where(PendingOperation.kind == "role_grant")))
    assert [op.request["activate"] for op in ops] == [True]


def test_nobody_approves_a_grant_for_themselves(world: Database) -> None:
    with world.write() as s:
        out = admin.change_role(
            s, _ctx("admin"), _who(world, "admin"), "admin2", role="secretariat", organisation=""
        )
    assert out.done is admin.Done.HELD
    assert out.pending_operation_id
    code = enrol(world, "admin2")
    with pytest.raises(SameApprover):
        approvals.approve(
            world, _ctx("admin2"), _who(world, "admin2"), out.pending_operation_id, _code(code)
        )
