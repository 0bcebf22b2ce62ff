"""Which permission each state-changing route needs, checked at the edge before the body is read.

The services check the same table again (and the object-level rules); this edge check makes
every unsafe route refuse the anonymous and the roles the table denies, whatever the body.
A new unsafe route should be listed here, in ``PUBLIC_WRITES`` or in ``SIGNED_IN_WRITES``
(a test walks the app's routes); an unlisted one is refused to the anonymous and left to
the service layer's role check.
"""

from __future__ import annotations

from jcm.auth.rules import PERMISSIONS, Action, Principal, Role
from jcm.errors import NotAuthenticated, PermissionDenied

A = Action

# Unsafe routes anyone may call: signing in, and the side-effect-free live screening.
PUBLIC_WRITES = frozenset({"POST /login", "POST /logout", "POST /api/v1/subsidy/screen"})

# Unsafe routes any signed-in user may call (their own account, or approvals whose
# object-level rules the approvals service checks).
SIGNED_IN_WRITES = frozenset(
    {
        "POST /account/password",
        "POST /account/totp",
        "POST /account/totp/confirm",
        "POST /approvals/{op_id}/approve",
        "POST /approvals/{op_id}/reject",
        "POST /api/v1/approvals/{op_id}/approve",
        "POST /api/v1/approvals/{op_id}/reject",
    }
)

_MOVE = (A.REGISTRY_TRANSFER,)
_RETIRE = (A.REGISTRY_RETIRE,)
_MRV_STEP = (A.MRV_REPORT, A.MRV_ASSIGN, A.MRV_VERIFY, A.MRV_ISSUANCE_REQUEST)

ROUTE_ACTIONS: dict[str, tuple[Action, ...]] = {
    "POST /api/v1/projects": (A.PROJECT_CREATE,),
    "PATCH /api/v1/projects/{ref}": (A.PROJECT_UPDATE,),
    "POST /api/v1/projects/{ref}/transitions": (A.PROJECT_TRANSITION,),
    "POST /projects/{ref}/transition": (A.PROJECT_TRANSITION,),
    "PUT /api/v1/subsidy/calls/{call}": (A.SUBSIDY_CALL_EDIT,),
    "POST /api/v1/subsidy/applications": (A.SUBSIDY_APPLY,),
    "POST /api/v1/subsidy/applications/{ref}/submit": (A.SUBSIDY_APPLY,),
    "POST /api/v1/subsidy/applications/{ref}/withdraw": (A.SUBSIDY_APPLY,),
    "POST /api/v1/subsidy/applications/{ref}/screen": (A.SUBSIDY_SCREEN,),
    "POST /api/v1/subsidy/applications/{ref}/decision": (A.SUBSIDY_DECIDE,),
    "POST /api/v1/subsidy/imports": (A.SUBSIDY_APPLY,),
    "POST /api/v1/subsidy/selection-runs": (A.SUBSIDY_SELECT,),
    "POST /subsidy/applications": (A.SUBSIDY_APPLY,),
    "POST /subsidy/applications/{ref}/submit": (A.SUBSIDY_APPLY,),
    "POST /subsidy/applications/{ref}/withdraw": (A.SUBSIDY_APPLY,),
    "POST /subsidy/applications/{ref}/screen": (A.SUBSIDY_SCREEN,),
    "POST /subsidy/applications/{ref}/decision": (A.SUBSIDY_DECIDE,),
    "POST /subsidy/runs": (A.SUBSIDY_SELECT,),
    "POST /subsidy/calls/{call}/settings": (A.SUBSIDY_CALL_EDIT,),
    "POST /subsidy/import": (A.SUBSIDY_APPLY,),
    "PUT /api/v1/mrv/projects/{ref}/methodology": (A.MRV_REPORT,),
    "POST /api/v1/mrv/projects/{ref}/periods": (A.MRV_REPORT,),
    "POST /api/v1/mrv/periods/{period_id}/calculations": (A.MRV_REPORT,),
    "POST /api/v1/mrv/periods/{period_id}/submit": (A.MRV_REPORT,),
    "POST /api/v1/mrv/designations": (A.MRV_ASSIGN,),
    "POST /api/v1/mrv/periods/{period_id}/assign": (A.MRV_ASSIGN,),
    "POST /api/v1/mrv/periods/{period_id}/findings": (A.MRV_VERIFY,),
    "POST /api/v1/mrv/findings/{finding_id}/answer": (A.MRV_REPORT,),
    "POST /api/v1/mrv/findings/{finding_id}/close": (A.MRV_VERIFY,),
    "POST /api/v1/mrv/periods/{period_id}/opinion": (A.MRV_VERIFY,),
    "POST /api/v1/mrv/periods/{period_id}/issuance-request": (A.MRV_ISSUANCE_REQUEST,),
    "POST /mrv/projects/{ref}/methodology": (A.MRV_REPORT,),
    "POST /mrv/projects/{ref}/periods": (A.MRV_REPORT,),
    "POST /mrv/periods/{period_id}/calculations": (A.MRV_REPORT,),
    "POST /mrv/periods/{period_id}/step": _MRV_STEP,
    "POST /api/v1/registry/accounts": (A.REGISTRY_ADMIN,),
    "POST /api/v1/registry/issuances": (A.REGISTRY_ISSUE,),
    "POST /api/v1/registry/transfers": _MOVE,
    "POST /api/v1/registry/external-transfers": _MOVE,
    "POST /api/v1/registry/cancellations": _RETIRE,
    "POST /api/v1/registry/retirements": _RETIRE,
    "PUT /api/v1/registry/projects/{ref}/allocation": (A.REGISTRY_ADMIN,),
    "POST /api/v1/registry/verified-periods": (A.REGISTRY_ADMIN,),
    "POST /api/v1/registry/authorisations": (A.REGISTRY_ADMIN,),
    "POST /api/v1/registry/accounts/{number}/status": (A.REGISTRY_ADMIN,),
    "PUT /api/v1/registry/accounts/{number}/trusted": (A.REGISTRY_TRANSFER,),
    "POST /registry/accounts/{number}/transfer": _MOVE,
    "POST /registry/accounts/{number}/retire": _RETIRE,
    "POST /registry/accounts/{number}/trusted": _MOVE,
    "POST /registry/issuance/issue": (A.REGISTRY_ISSUE,),
    "POST /registry/issuance/periods": (A.REGISTRY_ADMIN,),
    "POST /registry/issuance/allocation": (A.REGISTRY_ADMIN,),
    "POST /admin/users": (A.USER_MANAGE,),
    "POST /admin/users/{username}/role": (A.USER_MANAGE,),
    "POST /admin/users/{username}/mfa-reset": (A.USER_MANAGE,),
    "POST /admin/users/{username}/active": (A.USER_MANAGE,),
    "POST /admin/users/{username}/end-sessions": (A.USER_MANAGE,),
    "POST /api/v1/platform/technologies": (A.PLATFORM_MEMBER_EDIT,),
    "PUT /api/v1/platform/technologies/{key}": (A.PLATFORM_MEMBER_EDIT,),
    "POST /api/v1/platform/technologies/{key}/review": (A.PLATFORM_MEMBER_EDIT, A.PLATFORM_REVIEW),
    "POST /api/v1/platform/needs": (A.PLATFORM_NEED_CREATE,),
    "POST /api/v1/platform/inquiries": (A.PLATFORM_INQUIRE,),
    "POST /api/v1/platform/inquiries/{inquiry_id}/replies": (A.PLATFORM_INQUIRE,),
    "PATCH /api/v1/platform/inquiries/{inquiry_id}": (A.PLATFORM_DESK,),
    "POST /api/v1/platform/members/{member_id}/participation": (A.PLATFORM_DESK,),
    "PUT /api/v1/platform/members/{member_id}/contact": (A.PLATFORM_MEMBER_EDIT,),
    "POST /api/v1/platform/city-pairs/{pair_id}/activities": (A.CITY_PAIR_EDIT,),
    "POST /api/v1/platform/events/{key}/registrations": (A.PLATFORM_EVENT_JOIN,),
    "POST /api/v1/platform/events/{key}/requests": (A.PLATFORM_EVENT_JOIN,),
    "POST /api/v1/platform/events/{key}/requests/{meeting_id}/rank": (A.PLATFORM_EVENT_JOIN,),
    "POST /api/v1/platform/events/{key}/requests/{meeting_id}/outcome": (A.PLATFORM_EVENT_ADMIN,),
    "POST /api/v1/platform/events/{key}/schedule": (A.PLATFORM_EVENT_ADMIN,),
    "POST /platform/needs/{key}/idea": (A.PROJECT_CREATE,),
    "POST /platform/needs/{key}/application": (A.SUBSIDY_APPLY,),
    "POST /platform/technologies": (A.PLATFORM_MEMBER_EDIT,),
    "POST /platform/technologies/{key}/edit": (A.PLATFORM_MEMBER_EDIT,),
    "POST /platform/technologies/{key}/review": (A.PLATFORM_MEMBER_EDIT, A.PLATFORM_REVIEW),
    "POST /platform/needs": (A.PLATFORM_NEED_CREATE,),
    "POST /platform/inquiries": (A.PLATFORM_INQUIRE,),
    "POST /platform/inquiries/{inquiry_id}/reply": (A.PLATFORM_INQUIRE,),
    "POST /platform/inquiries/{inquiry_id}/update": (A.PLATFORM_DESK,),
    "POST /platform/members/{member_id}/participation": (A.PLATFORM_DESK,),
    "POST /platform/members/{member_id}/contact": (A.PLATFORM_MEMBER_EDIT,),
    "POST /platform/cities/{pair_id}/activities": (A.CITY_PAIR_EDIT,),
    "POST /platform/events/{key}/registrations": (A.PLATFORM_EVENT_JOIN,),
    "POST /platform/events/{key}/requests": (A.PLATFORM_EVENT_JOIN,),
    "POST /platform/events/{key}/meetings/{meeting_id}/rank": (A.PLATFORM_EVENT_JOIN,),
    "POST /platform/events/{key}/meetings/{meeting_id}/outcome": (A.PLATFORM_EVENT_ADMIN,),
    "POST /platform/events/{key}/schedule": (A.PLATFORM_EVENT_ADMIN,),
}

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def roles_for(route: str) -> frozenset[Role] | None:
    """The roles the table lets call an unsafe route; ``None`` when anyone may."""
    if route in PUBLIC_WRITES:
        return None
    if route in SIGNED_IN_WRITES:
        return frozenset(Role)
    actions = ROUTE_ACTIONS.get(route)
    if actions is None:
        # Not yet listed: signed-in users only; the service layer checks the role.
        return frozenset(Role)
    return frozenset().union(*(PERMISSIONS[a] for a in actions))


def check_route(principal: Principal | None, method: str, path: str) -> None:
    """Refuse an unsafe request the table does not allow for the caller's role."""
    if method in SAFE_METHODS:
        return
    route = f"{method} {path}"
    allowed = roles_for(route)
    if allowed is None:
        return
    if principal is None:
        raise NotAuthenticated()
    if principal.role not in allowed:
        raise PermissionDenied(route)
