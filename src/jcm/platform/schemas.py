"""Bodies of the platform's writes, shared by the JSON API and the pages."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from jcm.fields import Day, Float, Int


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class TechStatus(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"


class TechnologyIn(_In):
    """A bilingual technology-list entry; ``member`` is the member organisation's English name
    (a participant's own organisation when left out)."""

    key: str | None = Field(default=None, max_length=40, pattern=r"^[A-Za-z0-9\-]+$")
    member: str | None = Field(default=None, max_length=200)
    sector: str = Field(min_length=1, max_length=40)
    technology_code: str = Field(min_length=1, max_length=60)
    name_en: str = Field(min_length=1, max_length=300)
    name_ja: str = Field(min_length=1, max_length=300)
    description_en: str = Field(default="", max_length=5000)
    description_ja: str = Field(default="", max_length=5000)
    performance_en: str = Field(default="", max_length=5000)
    performance_ja: str = Field(default="", max_length=5000)
    references_en: str = Field(default="", max_length=5000)
    references_ja: str = Field(default="", max_length=5000)
    co2_reduction_t_per_year: Int = Field(default=0, ge=0)
    price_min_jpy: Int | None = Field(default=None, ge=0)
    price_max_jpy: Int | None = Field(default=None, ge=0)
    capacity_min: Float | None = Field(default=None, ge=0)
    capacity_max: Float | None = Field(default=None, ge=0)
    capacity_unit: str = Field(default="", max_length=20)
    countries: list[str] = Field(default_factory=list, max_length=60)
    climates: list[str] = Field(default_factory=list, max_length=10)


class ReviewIn(_In):
    to_status: TechStatus
    note: str = Field(default="", max_length=2000)


class NeedIn(_In):
    """A partner's need; ``requester`` is the organisation's English name (a partner
    government's own organisation when left out)."""

    key: str | None = Field(default=None, max_length=40, pattern=r"^[A-Za-z0-9\-]+$")
    requester: str | None = Field(default=None, max_length=200)
    requester_kind: str = Field(default="city", max_length=20)
    country_iso3: str = Field(min_length=3, max_length=3)
    sector: str = Field(min_length=1, max_length=40)
    title_en: str = Field(min_length=1, max_length=300)
    title_ja: str = Field(default="", max_length=300)
    problem_en: str = Field(default="", max_length=5000)
    problem_ja: str = Field(default="", max_length=5000)
    scale: Float | None = Field(default=None, ge=0)
    scale_unit: str = Field(default="", max_length=20)
    budget_jpy: Int | None = Field(default=None, ge=0)
    location_en: str = Field(default="", max_length=200)
    location_ja: str = Field(default="", max_length=200)
    language: str = Field(default="en", max_length=10)


class InquiryIn(_In):
    subject: str = Field(min_length=1, max_length=300)
    body: str = Field(min_length=1, max_length=10000)
    need: str | None = Field(default=None, max_length=40)


class InquiryStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    CLOSED = "closed"


class ReplyIn(_In):
    body: str = Field(min_length=1, max_length=10000)


class InquiryUpdateIn(_In):
    status: InquiryStatus | None = None
    owner: str | None = Field(default=None, max_length=120)


class ActivityIn(_In):
    category: str = Field(pattern=r"^(activity|output)$")
    kind: str = Field(pattern=r"^(workshop|study|declaration|project)$")
    on: Day
    title_en: str = Field(min_length=1, max_length=300)
    title_ja: str = Field(default="", max_length=300)
    project_ref: str | None = Field(default=None, max_length=5)


class RegistrationIn(_In):
    organisation: str | None = Field(default=None, max_length=200)
    side: str = Field(pattern=r"^(japanese|local)$")
    language: str = Field(default="en", max_length=10)
    unavailable: list[int] = Field(default_factory=list, max_length=100)


class MeetingRequestIn(_In):
    requester: Int
    target: Int
    rank: Int | None = Field(default=None, ge=1, le=50)
    need: str | None = Field(default=None, max_length=40)


class RankIn(_In):
    rank: Int = Field(ge=1, le=50)
    side: str | None = Field(default=None, pattern=r"^(requester|target)$")


class OutcomeIn(_In):
    outcome: str = Field(pattern=r"^(met|no_show|lead|idea|application|none)$")
    need: str | None = Field(default=None, max_length=40)
    technology: str | None = Field(default=None, max_length=40)


class ParticipationIn(_In):
    kind: str = Field(pattern=r"^(seminar|task_force)$")
    name: str = Field(min_length=1, max_length=200)


class ContactIn(_In):
    contact_name: str = Field(default="", max_length=200)
    contact_email: str = Field(default="", max_length=200)
