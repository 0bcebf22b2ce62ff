"""Subsidy pages: a call's overview and applications (``applications``), selection runs and
their portfolio exports (``runs``), and running a call — its settings, opening the next
call, uploading a file of applications (``calls``)."""

from __future__ import annotations

from fastapi import APIRouter

from jcm.subsidy.views import applications, calls, runs

router = APIRouter(include_in_schema=False)
for _part in (applications, runs, calls):
    router.include_router(_part.router)

__all__ = ["router"]
