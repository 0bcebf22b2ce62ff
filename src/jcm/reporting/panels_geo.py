"""Panels drawn on a plane: the project map and the city-to-city network."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from jcm.reporting import queries
from jcm.reporting.panels import BLUE, GREEN, GREY, ORANGE, Labels, Table
from jcm.reporting.world import outline_xy
from jcm.web.i18n import pick


def project_map(s: Session, lb: Labels) -> Table:
    """Projects by latitude and longitude over a shipped outline (works offline)."""
    items = queries.mapped_projects(s)
    links: list[str | None] = [f"/projects/{p['ref']}" for p in items]
    ox, oy = outline_xy()
    sizes = [round(max(6.0, min(30.0, (p["expected"] or 0) ** 0.5 / 12)), 1) for p in items]
    hover = [
        f"{p['ref']} · {pick(lb.lang, p['title_en'], p['title_ja'])}<br>"
        f"{lb.country(p['country'])} · {lb.tech(p['technology'])} · {p['expected']:,} tCO2/y"
        for p in items
    ]
    return Table(
        "map",
        "Projects on the map",
        [
            "Project",
            "Title",
            "Country",
            "Technology",
            "Status",
            "Expected (tCO2/y)",
            "Latitude",
            "Longitude",
        ],
        [
            [
                p["ref"],
                pick(lb.lang, p["title_en"], p["title_ja"]),
                lb.country(p["country"]),
                lb.tech(p["technology"]),
                p["status"],
                p["expected"],
                p["lat"],
                p["lon"],
            ]
            for p in items
        ],
        links,
        {
            "title": lb.t("Projects on the map"),
            "traces": [
                {
                    "type": "scatter",
                    "mode": "lines",
                    "x": ox,
                    "y": oy,
                    "hoverinfo": "skip",
                    "line": {"color": GREY, "width": 1},
                    "fill": "toself",
                    "fillcolor": "rgba(0,0,0,0.04)",
                    "showlegend": False,
                },
                {
                    "type": "scatter",
                    "mode": "markers",
                    "x": [p["lon"] for p in items],
                    "y": [p["lat"] for p in items],
                    "text": hover,
                    "hoverinfo": "text",
                    "customdata": links,
                    "marker": {"color": GREEN, "size": sizes, "opacity": 0.7},
                    "name": lb.t("Projects"),
                },
            ],
            "layout": {
                "xaxis": {
                    "range": [-180, 180],
                    "title": {"text": lb.t("Longitude")},
                    "zeroline": False,
                },
                "yaxis": {
                    "range": [-60, 85],
                    "title": {"text": lb.t("Latitude")},
                    "scaleanchor": "x",
                    "zeroline": False,
                },
                "showlegend": False,
                "height": 480,
            },
        },
        lb.t("The outline is simplified; click a point to open the project."),
    )


def city_network(s: Session, lb: Labels) -> Table:
    """Japanese municipalities (left) linked to their partner cities (right)."""
    links_ = queries.city_links(s)
    munis = sorted({(r["muni_en"], r["muni_ja"]) for r in links_})
    cities = sorted(
        {(r["city_en"], r["city_ja"], r["country"]) for r in links_}, key=lambda c: (c[2], c[0])
    )
    my = {m[0]: i for i, m in enumerate(munis)}
    cy = {c[0]: i * max(1, len(munis)) / max(1, len(cities)) for i, c in enumerate(cities)}
    ex: list[float | None] = []
    ey: list[float | None] = []
    for r in links_:
        ex += [0, 1, None]
        ey += [my[r["muni_en"]], cy[r["city_en"]], None]
    rows: list[list[Any]] = [
        [
            pick(lb.lang, r["muni_en"], r["muni_ja"]),
            pick(lb.lang, r["city_en"], r["city_ja"]),
            lb.country(r["country"]),
            r["years"],
            r["first"],
            r["last"],
        ]
        for r in links_
    ]
    row_links: list[str | None] = [f"/cities?country={r['country']}" for r in links_]
    return Table(
        "cities",
        "City-to-city network",
        ["Japanese municipality", "Partner city", "Country", "Years", "First FY", "Last FY"],
        rows,
        row_links,
        {
            "title": lb.t("City-to-city network"),
            "traces": [
                {
                    "type": "scatter",
                    "mode": "lines",
                    "x": ex,
                    "y": ey,
                    "hoverinfo": "skip",
                    "line": {"color": GREY, "width": 1},
                    "showlegend": False,
                },
                {
                    "type": "scatter",
                    "mode": "markers+text",
                    "x": [0] * len(munis),
                    "y": list(range(len(munis))),
                    "text": [pick(lb.lang, *m) for m in munis],
                    "textposition": "middle left",
                    "marker": {"color": ORANGE, "size": 10},
                    "name": lb.t("Japanese municipality"),
                    "customdata": ["/cities"] * len(munis),
                },
                {
                    "type": "scatter",
                    "mode": "markers+text",
                    "x": [1] * len(cities),
                    "y": [cy[c[0]] for c in cities],
                    "text": [f"{pick(lb.lang, c[0], c[1])} ({lb.country(c[2])})" for c in cities],
                    "textposition": "middle right",
                    "marker": {"color": BLUE, "size": 10},
                    "name": lb.t("Partner city"),
                    "customdata": [f"/cities?country={c[2]}" for c in cities],
                },
            ],
            "layout": {
                "xaxis": {"visible": False, "range": [-0.9, 1.9], "type": "linear"},
                "yaxis": {"visible": False, "autorange": "reversed"},
                "height": max(360, 22 * max(len(munis), len(cities)) + 80),
                "legend": {"orientation": "h"},
                "margin": {"l": 10, "r": 10, "t": 40, "b": 20},
            },
        },
    )
