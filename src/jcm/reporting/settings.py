"""Goal and forecast settings (environment prefix ``JCM_INSIGHT_``)."""

from __future__ import annotations

from functools import cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from jcm.reporting.rules import ForecastParams, Goals


class InsightSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="JCM_INSIGHT_", extra="ignore")

    goal_tco2: int = Field(default=100_000_000, ge=1)
    goal_fiscal_year: int = 2030
    goal_partner_countries: int = Field(default=30, ge=1)
    goal_partner_countries_by: int = 2025
    implementation_years: int = Field(default=2, ge=0, le=10)
    durable_years: int = Field(default=15, ge=1, le=50)
    verification_lag_years: int = Field(default=1, ge=0, le=5)
    default_realisation: float = Field(default=0.8, gt=0, le=2)
    band_low: float = Field(default=0.75, gt=0, le=1)
    band_high: float = Field(default=1.15, ge=1, le=3)

    @property
    def goals(self) -> Goals:
        return Goals(
            self.goal_tco2,
            self.goal_fiscal_year,
            self.goal_partner_countries,
            self.goal_partner_countries_by,
        )

    @property
    def params(self) -> ForecastParams:
        return ForecastParams(
            implementation_years=self.implementation_years,
            durable_years=self.durable_years,
            verification_lag_years=self.verification_lag_years,
            default_realisation=self.default_realisation,
            band_low=self.band_low,
            band_high=self.band_high,
        )


@cache
def insight_settings() -> InsightSettings:
    return InsightSettings()
