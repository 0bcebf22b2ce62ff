"""Request bodies of the MRV API."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from jcm.fields import Day, Int
from jcm.mrv.workflow import FindingKind


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BindIn(_In):
    methodology: str = Field(min_length=3, max_length=60, description="ID or ID:version")


class PeriodIn(_In):
    start: Day
    end: Day


class AssignIn(_In):
    tpe: str = Field(min_length=1, max_length=200, description="English name of the TPE")


class DesignationIn(_In):
    tpe: str = Field(min_length=1, max_length=200)
    sectoral_scope: Int = Field(ge=1, le=15)


class FindingIn(_In):
    kind: FindingKind
    text: str = Field(min_length=1, max_length=5000)


class AnswerIn(_In):
    response: str = Field(min_length=1, max_length=5000)


class OpinionIn(_In):
    opinion: Literal["positive", "negative"]
    verified_er: Int = Field(ge=0)
    text: str = Field(default="", max_length=5000)
