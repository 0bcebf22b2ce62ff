"""Input shapes of the subsidy API and the application life cycle."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from jcm.fields import Flag, Int


class AppStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    SCREENED = "screened"
    ADOPTED = "adopted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


APP_STATUS_JA: dict[AppStatus, str] = {
    AppStatus.DRAFT: "下書き",
    AppStatus.SUBMITTED: "提出済",
    AppStatus.SCREENED: "審査済",
    AppStatus.ADOPTED: "採択",
    AppStatus.REJECTED: "不採択",
    AppStatus.WITHDRAWN: "取下げ",
}

# Screening may be repeated (new settings, a corrected count) until the decision.
NEXT: dict[AppStatus, frozenset[AppStatus]] = {
    AppStatus.DRAFT: frozenset({AppStatus.SUBMITTED, AppStatus.WITHDRAWN}),
    AppStatus.SUBMITTED: frozenset({AppStatus.SCREENED, AppStatus.WITHDRAWN}),
    AppStatus.SCREENED: frozenset(
        {AppStatus.SCREENED, AppStatus.ADOPTED, AppStatus.REJECTED, AppStatus.WITHDRAWN}
    ),
    AppStatus.ADOPTED: frozenset(),
    AppStatus.REJECTED: frozenset(),
    AppStatus.WITHDRAWN: frozenset(),
}


class ApplicationIn(BaseModel):
    """A new application: the consortium, titles and the engine's application JSON."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    call: str = Field(default="FY2022", min_length=1, max_length=20)
    title_en: str = Field(min_length=1, max_length=300)
    title_ja: str = Field(default="", max_length=300)
    representative: str = Field(min_length=1, max_length=200, description="English name")
    representative_ja: str = Field(default="", max_length=200)
    members: list[str] = Field(default_factory=list, description="co-participants")
    project_ref: str | None = Field(default=None, pattern=r"^[A-Za-z]{2}\d{3}$")
    illustrative: Flag = False
    application: dict[str, Any] = Field(description="the subsidy application JSON")


class ScreenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    similar_override: Int | None = Field(default=None, ge=0, le=1000)
    reason: str = Field(default="", max_length=2000)


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["adopt", "reject"]
    reason: str = Field(default="", max_length=2000)


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(default="", max_length=2000)


class SelectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    call: str = Field(default="FY2022", min_length=1, max_length=20)
    policy: dict[str, Any] = Field(default_factory=dict)


class CallSettingsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    settings: dict[str, Any]
    note: str = Field(default="", max_length=2000)


class AdHocScreenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    call: str = Field(default="FY2022", min_length=1, max_length=20)
    application: dict[str, Any]
