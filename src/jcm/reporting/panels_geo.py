"""Panels drawn on a plane: the project map and the city-to-city network."""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import urlencode

from sqlalchemy.orm import Session

from jcm.reporting import queries
from jcm.reporting.panels import BLUE, GREEN, GREY, ORANGE, Labels, Table
from jcm.reporting.world import outline_xy
from jcm.web.i18n import pick

# Co-located projects (same coordinates rounded to this many decimals, about 1 km) are
# drawn as one marker with their count; at most HOVER_REFS of them are named in its hover.
GROUP_DECIMALS = 2
HOVER_REFS = 6
_MANY = {"en": "{n} projects · {e:,} tCO2/y", "ja": "{n} 件の案件 · {e:,} tCO2/年"}
_MORE = {"en": "… and {k} more (click for the list)", "ja": "… ほか {k} 件（クリックで一覧）"}


def project_map(s: Session, lb: Labels) -> Table:
    """Projects by latitude and longitude over a shipped outline (works offline).

    One marker per site: projects whose coordinates agree to ``GROUP_DECIMALS`` decimals
    share a marker sized by their summed expected reductions; a single project links to its
    page, several to the project list filtered by what they share. The table keeps one row
    (and one link) per project. Built in one pass over plain tuples."""
    lang = lb.lang
    countries = {k: pick(lang, c.name_en, c.name_ja) for k, c in lb.countries.items()}
    techs = {k: pick(lang, t.name_en, t.name_ja) for k, t in lb.techs.items()}
    many, more = _MANY.get(lang, _MANY["en"]), _MORE.get(lang, _MORE["en"])
    rows: list[list[Any]] = []
    links: list[str | None] = []
    sites: dict[tuple[float, float], list[Any]] = {}
    for ref, en, ja, country, tech, status, expected, lat, lon in queries.mapped_projects(s):
        title = ja if lang == "ja" and ja else en
        cname = countries.get(country, country)
        tname = techs.get(tech, tech)
        link = f"/projects/{ref}"
        rows.append([ref, title, cname, tname, status, expected, lat, lon])
        links.append(link)
        key = (round(lat, GROUP_DECIMALS), round(lon, GROUP_DECIMALS))
        site = sites.get(key)
        line = f"{ref} · {title}"
        if site is None:
            # [lat, lon, count, expected, lines, link, country, tech, first hover text]
            sites[key] = [
                lat,
                lon,
                1,
                expected,
                [line],
                link,
                country,
                tech,
                f"{line}<br>{cname} · {tname} · {expected:,} tCO2/y",
            ]
            continue
        site[2] += 1
        site[3] += expected
        if len(site[4]) < HOVER_REFS:
            site[4].append(line)
        if site[6] != country:
            site[6] = None
        if site[7] != tech:
            site[7] = None
    xs: list[float] = []
    ys: list[float] = []
    sizes: list[float] = []
    hover: list[str] = []
    marker_links: list[str] = []
    for lat, lon, n, expected, lines, link, country, tech, single in sites.values():
        xs.append(lon)
        ys.append(lat)
        sizes.append(round(max(6.0, min(30.0, expected**0.5 / 12)), 1))
        if n == 1:
            hover.append(single)
            marker_links.append(link)
            continue
        text = many.format(n=n, e=expected) + "<br>" + "<br>".join(lines)
        if n > len(lines):
            text += "<br>" + more.format(k=n - len(lines))
        hover.append(text)
        marker_links.append(site_list_link(country, tech))
    ox, oy = _outline()
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
        rows,
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
                    "x": xs,
                    "y": ys,
                    "text": hover,
                    "hoverinfo": "text",
                    "customdata": marker_links,
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


def site_list_link(country: str | None, tech: str | None) -> str:
    """The project list filtered by what every project at one site shares."""
    params = {k: v for k, v in (("country", country), ("technology", tech)) if v}
    return "/projects" + ("?" + urlencode(params) if params else "")


@cache
def _outline() -> tuple[list[float | None], list[float | None]]:
    return outline_xy()


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
