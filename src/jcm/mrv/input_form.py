"""The calculation input as a form generated from the methodology, so nobody types JSON.

The form asks for what the methodology leaves open: the fixed ex-ante values without a
default (with their units), the grid emission factor chosen from the Joint Committee's table
for the project's country, grid and case, the time zone of the readings, and the monitoring
points (meter, parameter, kind, interval, capacity). The monitoring period comes from the
period itself. ``build`` turns the submitted fields into the engine's INPUT.json; no I/O.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from jcm.errors import FieldProblem, ValidationFailed
from jcm.mrv.factors import EmissionFactor
from jcm.mrv.inputs import PointKind
from jcm.mrv.methodology import Methodology, Parameter, Source

POINT_ROWS = 6
GRID_FACTOR_UNIT = "tCO2/MWh"
ZONES = {
    "BGD": "Asia/Dhaka",
    "CHL": "America/Santiago",
    "IDN": "Asia/Jakarta",
    "KEN": "Africa/Nairobi",
    "KHM": "Asia/Phnom_Penh",
    "LAO": "Asia/Vientiane",
    "LKA": "Asia/Colombo",
    "MDV": "Indian/Maldives",
    "MNG": "Asia/Ulaanbaatar",
    "PHL": "Asia/Manila",
    "PLW": "Pacific/Palau",
    "THA": "Asia/Bangkok",
    "UZB": "Asia/Tashkent",
    "VNM": "Asia/Ho_Chi_Minh",
}


@dataclass(frozen=True)
class FormSpec:
    """What the form shows, with the values it starts from."""

    fixed: list[Parameter]
    ef_parameter: str | None
    factors: list[EmissionFactor]
    monitored: list[Parameter]
    timezone: str
    values: dict[str, str] = field(default_factory=dict)
    factor_key: str = ""
    points: list[dict[str, str]] = field(default_factory=list)


def factor_key(f: EmissionFactor) -> str:
    return f"{f.grid}|{f.case}|{f.version}"


def spec(
    m: Methodology,
    country: str,
    factors: list[EmissionFactor],
    previous: Mapping[str, Any] | None = None,
) -> FormSpec:
    """The form for ``m`` on a project in ``country``, prefilled from the last input used."""
    grid = [
        p
        for p in m.parameters
        if p.source is Source.FIXED_EX_ANTE and p.unit == GRID_FACTOR_UNIT and p.default is None
    ]
    ef = grid[0].symbol if grid else None
    fixed = [
        p
        for p in m.parameters
        if p.source is Source.FIXED_EX_ANTE and p.default is None and p.symbol != ef
    ]
    monitored = [p for p in m.parameters if p.source is Source.MONITORED]
    mine = [f for f in factors if f.country == country]
    prev = dict(previous or {})
    values = {
        k: str(v.get("value", ""))
        for k, v in (prev.get("parameters") or {}).items()
        if isinstance(v, dict)
    }
    chosen = prev.get("emission_factor") or {}
    key = next(
        (
            factor_key(f)
            for f in mine
            if f.grid == chosen.get("grid") and f.case == chosen.get("case")
        ),
        factor_key(mine[-1]) if mine else "",
    )
    points = [
        {
            "id": str(p.get("id", "")),
            "parameter": str(p.get("parameter", "")),
            "kind": str(p.get("kind", PointKind.INTERVAL.value)),
            "interval": str(p.get("interval_minutes", 60)),
            "capacity": str(p.get("capacity_kw") or ""),
        }
        for p in prev.get("points") or []
        if isinstance(p, dict)
    ] or [
        {"id": f"{p.symbol}-1", "parameter": p.symbol, "kind": "interval", "interval": "60"}
        for p in monitored
        if p.default is None
    ]
    blank = {"id": "", "parameter": "", "kind": "interval", "interval": "60", "capacity": ""}
    points = [{**blank, **p} for p in points][:POINT_ROWS]
    points += [dict(blank) for _ in range(POINT_ROWS - len(points))]
    zone = str(prev.get("timezone") or ZONES.get(country, "UTC"))
    return FormSpec(fixed, ef, mine, monitored, zone, values, key, points)


def build(
    m: Methodology,
    form_spec: FormSpec,
    project: str,
    start: date,
    end: date,
    fields: Mapping[str, str],
) -> dict[str, Any]:
    """INPUT.json from the submitted form; refuses, naming each field, what is missing."""
    problems: list[FieldProblem] = []
    parameters: dict[str, Any] = {}
    for p in form_spec.fixed:
        value = fields.get(f"param.{p.symbol}", "").strip()
        if not value:
            problems.append(
                FieldProblem(
                    f"param.{p.symbol}",
                    f"Enter {p.description_en} ({p.symbol}, {p.unit}).",
                    f"{p.description_ja}（{p.symbol}、{p.unit}）を入力してください。",
                )
            )
            continue
        parameters[p.symbol] = {"value": value, "unit": p.unit}
    emission_factor = None
    if form_spec.ef_parameter is not None:
        chosen = fields.get("emission_factor", "")
        found = [f for f in form_spec.factors if factor_key(f) == chosen]
        if not found:
            problems.append(
                FieldProblem(
                    "emission_factor",
                    "Choose the emission factor from the Joint Committee's table.",
                    "合同委員会の表から排出係数を選んでください。",
                )
            )
        else:
            f = found[0]
            emission_factor = {
                "country": f.country,
                "grid": f.grid,
                "case": f.case,
                "version": f.version,
                "parameter": form_spec.ef_parameter,
            }
    symbols = {p.symbol for p in form_spec.monitored}
    points = []
    for n in range(POINT_ROWS):
        pid = fields.get(f"point.{n}.id", "").strip()
        if not pid:
            continue
        parameter = fields.get(f"point.{n}.parameter", "")
        if parameter not in symbols:
            problems.append(
                FieldProblem(
                    f"point.{n}.parameter",
                    f"Point {pid}: choose the parameter it measures.",
                    f"計測点 {pid}：計測するパラメータを選んでください。",
                )
            )
            continue
        point: dict[str, Any] = {
            "id": pid,
            "parameter": parameter,
            "kind": fields.get(f"point.{n}.kind", "interval") or "interval",
            "interval_minutes": fields.get(f"point.{n}.interval", "60") or "60",
        }
        capacity = fields.get(f"point.{n}.capacity", "").strip()
        if capacity:
            point["capacity_kw"] = capacity
        points.append(point)
    if not points:
        problems.append(
            FieldProblem(
                "point.0.id",
                "Name at least one monitoring point.",
                "計測点を1つ以上入力してください。",
            )
        )
    if problems:
        raise ValidationFailed.of(problems)
    out: dict[str, Any] = {
        "project_id": project,
        "monitoring_period": {
            "start": f"{start.isoformat()}T00:00:00",
            "end": f"{(end + timedelta(days=1)).isoformat()}T00:00:00",
        },
        "timezone": fields.get("timezone", "").strip() or form_spec.timezone,
        "parameters": parameters,
        "points": points,
    }
    if emission_factor is not None:
        out["emission_factor"] = emission_factor
    return out


def template_rows(form_spec: FormSpec, start: date, end: date) -> Iterator[list[str]]:
    """The data template in long format: a header, then one empty reading per interval of
    each named point over the period (local times in the readings' time zone)."""
    yield ["timestamp", "point", "parameter", "value", "unit"]
    units = {p.symbol: p.unit for p in form_spec.monitored}
    first = datetime.combine(start, time())
    stop = datetime.combine(end + timedelta(days=1), time())
    for point in form_spec.points:
        if not point["id"] or point["parameter"] not in units:
            continue
        step = timedelta(minutes=max(1, int(point["interval"] or 60)))
        at = first + step  # a reading closes its interval
        while at <= stop:
            yield [at.isoformat(), point["id"], point["parameter"], "", units[point["parameter"]]]
            at += step
