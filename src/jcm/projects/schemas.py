"""Input and output shapes of a project at the edges (API, CLI, files)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from jcm.fields import Flag, Int
from jcm.projects.rules import Programme, Status


class ProjectIn(BaseModel):
    """A new project, as the API, the CLI and the importers accept it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    ref: str = Field(min_length=5, max_length=5, description="e.g. TH001")
    partner_country: str = Field(min_length=3, max_length=3, description="ISO 3166 alpha-3")
    title_en: str = Field(min_length=1, max_length=300)
    title_ja: str = Field(min_length=1, max_length=300)
    technology: str = Field(min_length=1, max_length=40)
    capacity_mw: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=3)
    representative_participant: str = Field(min_length=1, max_length=200)
    representative_participant_ja: str = Field(default="", max_length=200)
    members: list[str] = Field(default_factory=list, description="co-participants (English names)")
    methodology_id: str | None = Field(default=None, max_length=40)
    expected_reduction_tco2_per_year: Int = Field(ge=0, le=100_000_000)
    fiscal_year: Int = Field(ge=2013, le=2100)
    programme: Programme = Programme.MODEL_PROJECT
    latitude: Decimal | None = Field(default=None, ge=-90, le=90, max_digits=9, decimal_places=6)
    longitude: Decimal | None = Field(default=None, ge=-180, le=180, max_digits=9, decimal_places=6)
    status: Status = Status.IDEA
    illustrative: Flag = False

    @field_validator("partner_country", "ref")
    @classmethod
    def _upper(cls, v: str) -> str:
        return v.upper()


class ProjectPatch(BaseModel):
    """Fields that may change after creation; status changes only through transitions."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title_en: str | None = Field(default=None, min_length=1, max_length=300)
    title_ja: str | None = Field(default=None, min_length=1, max_length=300)
    technology: str | None = None
    capacity_mw: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=3)
    methodology_id: str | None = Field(default=None, max_length=40)
    expected_reduction_tco2_per_year: Int | None = Field(default=None, ge=0, le=100_000_000)
    programme: Programme | None = None
    latitude: Decimal | None = Field(default=None, ge=-90, le=90, max_digits=9, decimal_places=6)
    longitude: Decimal | None = Field(default=None, ge=-180, le=180, max_digits=9, decimal_places=6)


class TransitionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    to: Status
    reason: str = Field(default="", max_length=2000)


class ProjectPage(BaseModel):
    items: list[dict[str, Any]]
    total: int
