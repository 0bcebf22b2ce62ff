"""Roles, actions and the one permission table; object-level checks; no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from jcm.errors import FieldProblem, NotAuthenticated, PermissionDenied
from jcm.labels import LABELS, label


class Role(StrEnum):
    ADMIN = "admin"
    SECRETARIAT = "secretariat"
    JOINT_COMMITTEE = "joint_committee"
    PARTICIPANT = "participant"
    THIRD_PARTY_ENTITY = "third_party_entity"
    PARTNER_GOVERNMENT = "partner_government"


# each role's name in Japanese, from the label catalogue (group "role")
ROLE_JA: dict[Role, str] = {r: LABELS["role"][r.value][1] for r in Role}


class Action(StrEnum):
    PROJECT_CREATE = "project.create"
    PROJECT_UPDATE = "project.update"
    PROJECT_TRANSITION = "project.transition"
    PROJECT_IMPORT = "project.import"
    CITY_PAIR_EDIT = "city_pair.edit"
    USER_MANAGE = "user.manage"
    AUDIT_READ = "audit.read"
    SUBSIDY_APPLY = "subsidy.apply"
    SUBSIDY_READ_ALL = "subsidy.read_all"
    SUBSIDY_SCREEN = "subsidy.screen"
    SUBSIDY_DECIDE = "subsidy.decide"
    SUBSIDY_SELECT = "subsidy.select"
    SUBSIDY_CALL_EDIT = "subsidy.call_edit"
    MRV_REPORT = "mrv.report"
    MRV_ASSIGN = "mrv.assign"
    MRV_VERIFY = "mrv.verify"
    MRV_ISSUANCE_REQUEST = "mrv.issuance_request"
    REGISTRY_ISSUE = "registry.issue"
    REGISTRY_TRANSFER = "registry.transfer"
    REGISTRY_RETIRE = "registry.retire"
    REGISTRY_ADMIN = "registry.admin"
    PLATFORM_MEMBER_EDIT = "platform.member_edit"
    PLATFORM_REVIEW = "platform.review"
    PLATFORM_DESK = "platform.desk"
    PLATFORM_EVENT_ADMIN = "platform.event_admin"
    PLATFORM_NEED_CREATE = "platform.need_create"
    PLATFORM_INQUIRE = "platform.inquire"
    PLATFORM_EVENT_JOIN = "platform.event_join"


_ALL = frozenset(Role)
_STAFF = frozenset({Role.ADMIN, Role.SECRETARIAT})

PERMISSIONS: dict[Action, frozenset[Role]] = {
    Action.PROJECT_CREATE: _STAFF | {Role.PARTICIPANT},
    Action.PROJECT_UPDATE: _STAFF | {Role.PARTICIPANT},
    Action.PROJECT_TRANSITION: _STAFF | {Role.JOINT_COMMITTEE},
    Action.PROJECT_IMPORT: _STAFF,
    Action.CITY_PAIR_EDIT: _STAFF,
    Action.USER_MANAGE: frozenset({Role.ADMIN}),
    Action.AUDIT_READ: _STAFF,
    Action.SUBSIDY_APPLY: _STAFF | {Role.PARTICIPANT},
    Action.SUBSIDY_READ_ALL: _STAFF | {Role.JOINT_COMMITTEE},
    Action.SUBSIDY_SCREEN: _STAFF,
    Action.SUBSIDY_DECIDE: _STAFF,
    Action.SUBSIDY_SELECT: _STAFF,
    Action.SUBSIDY_CALL_EDIT: _STAFF,
    Action.MRV_REPORT: _STAFF | {Role.PARTICIPANT},
    Action.MRV_ASSIGN: _STAFF,
    Action.MRV_VERIFY: frozenset({Role.THIRD_PARTY_ENTITY}),
    Action.MRV_ISSUANCE_REQUEST: _STAFF | {Role.PARTICIPANT},
    Action.REGISTRY_ISSUE: _STAFF,
    Action.REGISTRY_TRANSFER: _STAFF | {Role.PARTICIPANT, Role.PARTNER_GOVERNMENT},
    Action.REGISTRY_RETIRE: _STAFF | {Role.PARTICIPANT, Role.PARTNER_GOVERNMENT},
    Action.REGISTRY_ADMIN: _STAFF,
    Action.PLATFORM_MEMBER_EDIT: _STAFF | {Role.PARTICIPANT},
    Action.PLATFORM_REVIEW: _STAFF,
    Action.PLATFORM_DESK: _STAFF,
    Action.PLATFORM_EVENT_ADMIN: _STAFF,
    Action.PLATFORM_NEED_CREATE: _STAFF | {Role.PARTNER_GOVERNMENT},
    Action.PLATFORM_INQUIRE: _ALL,
    Action.PLATFORM_EVENT_JOIN: _STAFF | {Role.PARTICIPANT, Role.PARTNER_GOVERNMENT},
}

# Actions a participant may take only on records of its own organisation.
ORGANISATION_SCOPED = frozenset(
    {Action.PROJECT_UPDATE, Action.PROJECT_CREATE, Action.SUBSIDY_APPLY}
)


@dataclass(frozen=True)
class Principal:
    """The signed-in user as the services see it."""

    user_id: int
    username: str
    role: Role
    organisation_id: int | None


def may(principal: Principal | None, action: Action) -> bool:
    return principal is not None and principal.role in PERMISSIONS[action]


def require(
    principal: Principal | None, action: Action, *, owner_organisation_id: int | None = None
) -> Principal:
    """Refuse unless the role may take the action and, for a participant, owns the record."""
    if principal is None:
        raise NotAuthenticated()
    if principal.role not in PERMISSIONS[action]:
        raise PermissionDenied(
            label("en", "permission", action.value),
            f"The role {label('en', 'role', principal.role.value)} does not have this permission.",
            f"役割「{ROLE_JA[principal.role]}」にはこの権限がありません。",
            action_ja=label("ja", "permission", action.value),
        )
    if (
        principal.role is Role.PARTICIPANT
        and action in ORGANISATION_SCOPED
        and owner_organisation_id is not None
        and owner_organisation_id != principal.organisation_id
    ):
        raise PermissionDenied(
            label("en", "permission", action.value),
            "The record belongs to another organisation.",
            "この記録は他の組織に属しています。",
            action_ja=label("ja", "permission", action.value),
        )
    return principal


def check_new_user(
    username: str, password: str, role: Role, organisation_id: int | None
) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    if (
        not (3 <= len(username) <= 60)
        or not username.replace("-", "").replace("_", "").replace(".", "").isalnum()
    ):
        problems.append(
            FieldProblem(
                "username",
                "Use 3–60 letters, digits, '.', '-' or '_'.",
                "ユーザー名は英数字・「.」「-」「_」で3〜60文字にしてください。",
            )
        )
    if len(password) < 12:
        problems.append(
            FieldProblem(
                "password",
                "The password must have at least 12 characters.",
                "パスワードは12文字以上にしてください。",
            )
        )
    return problems + organisation_problems(role, organisation_id)


# Roles that run the system or decide for it: granting one needs a second administrator.
PRIVILEGED_ROLES = frozenset({Role.ADMIN, Role.SECRETARIAT, Role.JOINT_COMMITTEE})


def grant_needs_second_admin(before: tuple[Role, bool] | None, role: Role, active: bool) -> bool:
    """Whether a change gives someone privileged access they do not have now.

    ``before`` is the user's (role, active) now, ``None`` for a new user. Creating a user
    with a privileged role, changing a role to a privileged one and reactivating a user who
    holds one all give it; a change of organisation alone, a demotion and deactivation do
    not.
    """
    if not active or role not in PRIVILEGED_ROLES:
        return False
    return before is None or not before[1] or before[0] is not role


def organisation_problems(role: Role, organisation_id: int | None) -> list[FieldProblem]:
    if role is Role.PARTICIPANT and organisation_id is None:
        return [
            FieldProblem(
                "organisation",
                "A project participant must belong to an organisation.",
                "プロジェクト参加者は組織に所属している必要があります。",
            )
        ]
    return []


def check_role_change(
    actor_id: int, target_id: int, role: Role, organisation_id: int | None
) -> list[FieldProblem]:
    """An administrator may not take the administrator role away from themselves (no one
    could then undo it from their account); a participant needs an organisation."""
    problems: list[FieldProblem] = []
    if actor_id == target_id and role is not Role.ADMIN:
        problems.append(
            FieldProblem(
                "role",
                "You cannot take the administrator role away from yourself; "
                "ask another administrator.",
                "自分自身から管理者の役割を外すことはできません。別の管理者に依頼してください。",
            )
        )
    return problems + organisation_problems(role, organisation_id)


def check_deactivation(actor_id: int, target_id: int) -> list[FieldProblem]:
    """An administrator may not deactivate their own account (it would lock them out)."""
    if actor_id == target_id:
        return [
            FieldProblem(
                "active",
                "You cannot deactivate your own account; ask another administrator.",
                "自分自身のアカウントは無効にできません。別の管理者に依頼してください。",
            )
        ]
    return []


# The operator at the server's command line acts with administrator rights.
SYSTEM_PRINCIPAL = Principal(user_id=0, username="system", role=Role.ADMIN, organisation_id=None)
