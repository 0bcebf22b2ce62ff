"""Dashboard panels: each one table (with a drill-down link per row) and its chart spec
for ``static/app.js``. The same table feeds the page, the CSV and the xlsx download."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from jcm.reference import service as reference
from jcm.reporting import queries, rules
from jcm.reporting.settings import InsightSettings
from jcm.subsidy.technologies import TECHNOLOGIES
from jcm.web.i18n import pick, translate

GREEN, BLUE, ORANGE, GREY = "#0b5e55", "#3b6fb6", "#d9822b", "#888888"


@dataclass
class Table:
    name: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    links: list[str | None] = field(default_factory=list)
    chart: dict[str, Any] | None = None
    note: str = ""


SUBSIDY_TECHNOLOGIES = {t.code: t for t in TECHNOLOGIES}


class Labels:
    """Localised names of countries, technologies and statuses for one language."""

    def __init__(self, session: Session, lang: str) -> None:
        self.lang = lang
        self.countries = {c.iso3: c for c in reference.countries(session)}
        self.techs = {t.code: t for t in reference.technologies(session)}

    def t(self, text: str) -> str:
        return translate(self.lang, text)

    def country(self, iso3: str) -> str:
        c = self.countries.get(iso3)
        return pick(self.lang, c.name_en, c.name_ja) if c else iso3

    def tech(self, code: str) -> str:
        """A technology's name: the project register's, else the subsidy catalogue's (which
        names the technologies subsidy applications use), else the code."""
        tc = self.techs.get(code) or SUBSIDY_TECHNOLOGIES.get(code)
        return pick(self.lang, tc.name_en, tc.name_ja) if tc else code


def bar(
    x: list[Any], y: list[Any], name: str, color: str, links: list[str | None]
) -> dict[str, Any]:
    return {
        "type": "bar",
        "name": name,
        "x": x,
        "y": y,
        "marker": {"color": color},
        "customdata": links,
    }


def funnel(s: Session, lb: Labels, cfg: InsightSettings) -> Table:
    stages = rules.funnel(queries.status_counts(s))
    labels = [lb.t(f"Stage: {stage}") for stage, _ in stages]
    links: list[str | None] = [f"/projects?status={stage}" for stage, _ in stages]
    counts = [n for _, n in stages]
    return Table(
        "funnel",
        "Pipeline: applied, adopted, registered, credited",
        ["Stage", "Projects"],
        [[label, n] for label, n in zip(labels, counts, strict=True)],
        links,
        {
            "title": lb.t("Pipeline: applied, adopted, registered, credited"),
            "traces": [
                {
                    "type": "funnel",
                    "y": labels,
                    "x": counts,
                    "customdata": links,
                    "marker": {"color": GREEN},
                }
            ],
            "layout": {"xaxis": {}, "yaxis": {"automargin": True}, "margin": {"l": 160}},
        },
    )


def reductions(s: Session, lb: Labels, dim: str) -> Table:
    rows = queries.reductions_by(s, dim)
    labels: dict[str, Callable[[str], str]] = {
        "country": lb.country,
        "technology": lb.tech,
        "fiscal_year": lambda k: f"FY{k}",
        "vintage": lambda k: k,
    }
    label = labels[dim]
    link: Callable[[str], str | None] = {
        "country": lambda k: f"/projects?country={k}",
        "technology": lambda k: f"/projects?technology={k}",
        "fiscal_year": lambda k: f"/projects?fiscal_year={k}",
        "vintage": lambda k: "/registry",
    }[dim]
    links = [link(r.key) for r in rows]
    names = [label(r.key) for r in rows]
    series = [
        ("Expected (tCO2/y)", [r.expected for r in rows], GREY),
        ("Verified (tCO2)", [r.verified for r in rows], BLUE),
        ("Issued (tCO2)", [r.issued for r in rows], GREEN),
        ("Retired (tCO2)", [r.retired for r in rows], ORANGE),
    ]
    if dim == "vintage":
        series = series[1:]
    title = f"Expected, verified and issued reductions by {dim.replace('_', ' ')}"
    return Table(
        f"reductions-{dim}",
        title,
        ["Key", "Name", "Projects", *[n for n, _, _ in series], "Cancelled (tCO2)"],
        [
            [r.key, names[i], r.projects, *[v[i] for _, v, _ in series], r.cancelled]
            for i, r in enumerate(rows)
        ],
        links,
        {
            "title": lb.t(title),
            "traces": [bar(names, v, lb.t(n), c, links) for n, v, c in series],
            "layout": {"barmode": "group", "legend": {"orientation": "h"}},
        },
    )


def goal(s: Session, lb: Labels, cfg: InsightSettings, today: date | None = None) -> Table:
    today = today or date.today()
    params, goals = cfg.params, cfg.goals
    this_fy = rules.fiscal_year_of(today.year, today.month)
    verified, expected = queries.verification_history(s)
    ratio = rules.realisation(verified, expected, params)
    pipeline = [rules.PipelineProject(fy, e, last) for fy, e, last in queries.pipeline_groups(s)]
    points = rules.forecast(
        pipeline,
        queries.issued_by_vintage(s),
        params,
        ratio,
        until_fy=goals.cumulative_by_fy,
        this_fy=rules.first_open_vintage(this_fy, params),
    )
    x = [f"FY{p.fiscal_year}" for p in points]
    links: list[str | None] = ["/insight/reductions?by=vintage"] * len(points)
    note = lb.t(
        "Forecast: commissioning {impl} years after adoption, {dur} durable years, "
        "{lag}-year verification lag, realisation {ratio:.0%} of expected."
    ).format(
        impl=params.implementation_years,
        dur=params.durable_years,
        lag=params.verification_lag_years,
        ratio=ratio,
    )
    return Table(
        "goal",
        "Cumulative reductions toward the FY2030 goal",
        ["Fiscal year", "Issued (cumulative tCO2)", "Forecast", "Low", "High", "Goal"],
        [
            [p.fiscal_year, p.actual, p.central, p.low, p.high, goals.cumulative_tco2]
            for p in points
        ],
        links,
        {
            "title": lb.t("Cumulative reductions toward the FY2030 goal"),
            "traces": [
                {
                    "type": "scatter",
                    "mode": "lines",
                    "x": x,
                    "y": [p.low for p in points],
                    "line": {"width": 0},
                    "name": lb.t("Low"),
                    "showlegend": False,
                },
                {
                    "type": "scatter",
                    "mode": "lines",
                    "x": x,
                    "y": [p.high for p in points],
                    "fill": "tonexty",
                    "fillcolor": "rgba(11,94,85,0.15)",
                    "line": {"width": 0},
                    "name": lb.t("Uncertainty band"),
                },
                {
                    "type": "scatter",
                    "mode": "lines",
                    "x": x,
                    "y": [p.central for p in points],
                    "line": {"color": GREEN, "dash": "dot"},
                    "name": lb.t("Forecast"),
                    "customdata": links,
                },
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "x": x,
                    "y": [p.actual for p in points],
                    "line": {"color": BLUE},
                    "name": lb.t("Issued (cumulative tCO2)"),
                    "customdata": links,
                },
                {
                    "type": "scatter",
                    "mode": "lines",
                    "x": x,
                    "y": [goals.cumulative_tco2] * len(points),
                    "line": {"color": ORANGE},
                    "name": lb.t("Goal"),
                },
            ],
            "layout": {"legend": {"orientation": "h"}, "yaxis": {"title": {"text": "tCO2"}}},
        },
        note,
    )


def partners(s: Session, lb: Labels, cfg: InsightSettings, today: date | None = None) -> Table:
    today = today or date.today()
    signed = queries.partner_signed_years(s)
    years = [y for *_, y in signed]
    first = min(years, default=today.year)
    last = max(today.year, cfg.goals.partner_countries_by)
    series = rules.partners_by_year(years, first, last)
    by_year: dict[int, list[str]] = {}
    for iso3, *_, y in signed:
        by_year.setdefault(y, []).append(lb.country(iso3))
    x = [str(y) for y, _ in series]
    first_signed = {y: iso3 for iso3, *_, y in reversed(signed)}
    links: list[str | None] = [
        f"/projects?country={first_signed[y]}" if y in first_signed else None for y, _ in series
    ]
    return Table(
        "partners",
        "Partner countries over time",
        ["Year", "Partner countries", "Signed that year", "Goal"],
        [[y, n, ", ".join(by_year.get(y, [])), cfg.goals.partner_countries] for y, n in series],
        links,
        {
            "title": lb.t("Partner countries over time"),
            "traces": [
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "x": x,
                    "y": [n for _, n in series],
                    "line": {"color": GREEN, "shape": "hv"},
                    "name": lb.t("Partner countries"),
                    "customdata": links,
                },
                {
                    "type": "scatter",
                    "mode": "markers",
                    "x": [str(cfg.goals.partner_countries_by)],
                    "y": [cfg.goals.partner_countries],
                    "marker": {"color": ORANGE, "size": 12, "symbol": "star"},
                    "name": lb.t("Goal"),
                },
            ],
            "layout": {"legend": {"orientation": "h"}, "xaxis": {"type": "category"}},
        },
    )


def subsidy(s: Session, lb: Labels, cfg: InsightSettings) -> Table:
    rows = queries.subsidy_by_technology(s)
    out: list[list[Any]] = []
    links: list[str | None] = []
    for tech, n, yen, tco2 in rows:
        per = rules.yen_per_tco2(yen, tco2, cfg.durable_years)
        out.append([tech, lb.tech(tech), n, yen, tco2, round(per) if per is not None else None])
        links.append(f"/projects?technology={tech}")
    return Table(
        "subsidy",
        "Subsidy yen per tCO2 by technology",
        [
            "Key",
            "Technology",
            "Number of applications",
            "Requested subsidy (yen)",
            "Expected (tCO2/y)",
            "Yen per tCO2",
        ],
        out,
        links,
        {
            "title": lb.t("Subsidy yen per tCO2 by technology"),
            "traces": [
                bar([r[1] for r in out], [r[5] for r in out], lb.t("Yen per tCO2"), GREEN, links)
            ],
            "layout": {"yaxis": {"title": {"text": lb.t("Yen per tCO2")}}},
        },
        lb.t("Lifetime reductions assume {dur} durable years.").format(dur=cfg.durable_years),
    )
