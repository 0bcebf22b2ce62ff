"""``jcm subsidy``: screen applications, select a portfolio, write the Excel template.

Bad input ends with exit code 2 and a message in English and Japanese naming the field and
row; no traceback.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from jcm.cli_options import EncodingOpt
from jcm.errors import FieldProblem, JcmError, ValidationFailed
from jcm.subsidy.io import applications_from_records, json_records, read_applications
from jcm.subsidy.policy import SelectionPolicy, load_policy
from jcm.subsidy.screening import Screening, screen
from jcm.subsidy.selection import Selection, select_portfolio
from jcm.subsidy.settings import CALLS, DEFAULT_CALL, CallSettings
from jcm.subsidy.settings_json import read_call_settings
from jcm.subsidy.template import write_template

app = typer.Typer(help="JCM Model Projects subsidy: screening and selection.", no_args_is_help=True)
T = TypeVar("T")


@app.callback()
def _group() -> None:
    """JCM Model Projects subsidy: screening and selection."""


CallOpt = Annotated[
    str, typer.Option("--call", help="Call year whose settings apply, e.g. FY2022.")
]
CallFileOpt = Annotated[
    Path | None, typer.Option("--call-file", help="Call settings JSON (overrides --call).")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _fail(error: JcmError) -> None:
    err = Console(stderr=True, soft_wrap=True)
    err.print(f"Error: {error.message_en}", markup=False)
    err.print(f"エラー：{error.message_ja}", markup=False)
    only = error.problems[0] if len(error.problems) == 1 else None
    said = only is not None and only.row is None and error.message_en.startswith(only.field)
    for p in [] if said else error.problems:
        where = f"row {p.row}, " if p.row is not None else ""
        where_ja = f"行 {p.row}、" if p.row is not None else ""
        err.print(f"  - {where}{p.field}: {p.message_en}", markup=False)
        err.print(f"    {where_ja}{p.field}：{p.message_ja}", markup=False)
    raise typer.Exit(2)


def run(action: Callable[[], T]) -> T:
    """Run a command body, turning domain errors and unreadable files into a clean exit."""
    try:
        return action()
    except JcmError as error:
        _fail(error)
    except OSError as error:
        _fail(
            ValidationFailed.of(
                [FieldProblem("(file)", str(error), f"ファイルを読めません：{error}")]
            )
        )
    raise AssertionError("unreachable")


def load_call(call: str, call_file: Path | None) -> CallSettings:
    """The settings of the named call, or of a settings file."""
    if call_file is not None:
        return read_call_settings(call_file)
    if call not in CALLS:
        known = ", ".join(CALLS)
        raise ValidationFailed.of(
            [
                FieldProblem(
                    "--call",
                    f"unknown call '{call}'; known: {known}.",
                    f"不明な公募年度 '{call}'（既知：{known}）。",
                )
            ]
        )
    return CALLS[call]


def emit_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _screen_table(result: Screening) -> None:
    console = Console()
    verdict = "eligible / 適格" if result.eligible else "not eligible / 不適格"
    console.print(f"[bold]{result.application.id}[/bold]: {verdict}")
    data = result.as_dict()
    console.print(
        f"max subsidy {data['max_subsidy_jpy']:,} yen · rate cap {data['rate_cap']} · "
        f"{data['cost_effectiveness_jpy_per_tco2']} yen/tCO2 · payback {data['payback_years']} y"
    )
    table = Table()
    table.add_column("rule", no_wrap=True)
    for heading in ("status", "value", "limit", "message"):
        table.add_column(heading)
    colour = {"pass": "green", "fail": "red", "review": "yellow"}
    for c in result.checks:
        table.add_row(
            c.rule,
            f"[{colour[c.status]}]{c.status}[/]",
            str(c.value),
            str(c.limit),
            f"{c.message_en}\n{c.message_ja}",
        )
    console.print(table)


@app.command("screen")
def screen_command(
    application: Annotated[Path, typer.Argument(help="Application JSON (an object or a list).")],
    call: CallOpt = DEFAULT_CALL,
    call_file: CallFileOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Screen applications against the rules of a call."""

    def body() -> tuple[list[Screening], bool]:
        settings = load_call(call, call_file)
        records = json_records(application.read_text(encoding="utf-8"))
        apps = applications_from_records(records, settings)
        return [screen(a, settings) for a in apps], bool(records) and records[0][0] is None

    results, single = run(body)
    if as_json:
        emit_json(results[0].as_dict() if single else [r.as_dict() for r in results])
        return
    for result in results:
        _screen_table(result)


def _policy(
    policy_file: Path | None, budget_jpy: int | None, include: list[str], exclude: list[str]
) -> SelectionPolicy:
    policy = SelectionPolicy()
    if policy_file is not None:
        policy = load_policy(json_object(policy_file.read_text(encoding="utf-8"), "--policy"))
    if budget_jpy is not None:
        if budget_jpy < 0:
            raise ValidationFailed.of(
                [FieldProblem("--budget-jpy", "must not be negative.", "負の値は指定できません。")]
            )
        policy = replace(policy, budget_jpy=budget_jpy)
    return replace(
        policy,
        must_include=policy.must_include | set(include),
        must_exclude=policy.must_exclude | set(exclude),
    )


def json_object(text: str, field: str) -> dict[str, Any]:
    """A JSON object from text, or a ``ValidationFailed`` naming ``field``."""
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise ValidationFailed.of(
            [FieldProblem(field, f"not valid JSON: {exc}", f"JSON として読めません：{exc}")]
        ) from None
    if not isinstance(data, dict):
        raise ValidationFailed.of(
            [FieldProblem(field, "must be a JSON object.", "JSON オブジェクトが必要です。")]
        )
    return data


def _selection_table(selection: Selection) -> None:
    console = Console()
    data = selection.as_dict()
    console.print(
        f"[bold]{len(data['selected'])} selected / 採択[/bold]: "
        f"{data['total_subsidy_jpy']:,} yen, {data['total_lifetime_reduction_tco2']:,} tCO2 "
        f"(greedy {data['greedy_total_lifetime_reduction_tco2']:,}; "
        f"gap {data['optimality_gap']}, LP bound {data['lp_bound']})"
    )
    years = Table("fiscal year", "budget (yen)", "spend (yen)")
    for year, spend in data["spend_by_fiscal_year"].items():
        years.add_row(year, f"{data['budget_jpy_by_fiscal_year'][year]:,}", f"{spend:,}")
    console.print(years)
    left = Table("left out / 選外", "reason", "理由")
    for item in data["left_out"]:
        for r in item["reasons"]:
            left.add_row(item["id"], r["message_en"], r["message_ja"])
    console.print(left)


@app.command("select")
def select_command(
    applications: Annotated[Path, typer.Argument(help="Applications (.json, .csv or .xlsx).")],
    call: CallOpt = DEFAULT_CALL,
    call_file: CallFileOpt = None,
    budget_jpy: Annotated[
        int | None, typer.Option("--budget-jpy", help="Total budget; split over the years.")
    ] = None,
    policy_file: Annotated[
        Path | None, typer.Option("--policy", help="Selection policy JSON (weights, caps).")
    ] = None,
    must_include: Annotated[list[str] | None, typer.Option("--must-include")] = None,
    must_exclude: Annotated[list[str] | None, typer.Option("--must-exclude")] = None,
    as_json: JsonOpt = False,
    encoding: EncodingOpt = "auto",
) -> None:
    """Choose the portfolio that buys the most reduction within the budgets."""

    def body() -> Selection:
        settings = load_call(call, call_file)
        policy = _policy(policy_file, budget_jpy, must_include or [], must_exclude or [])
        apps = read_applications(applications, settings, encoding=encoding)
        return select_portfolio(apps, settings, policy)

    selection = run(body)
    if as_json:
        emit_json(selection.as_dict())
    else:
        _selection_table(selection)


@app.command("template")
def template_command(
    out: Annotated[Path, typer.Argument(help="Where to write the .xlsx template.")],
    call: CallOpt = DEFAULT_CALL,
    call_file: CallFileOpt = None,
) -> None:
    """Write the Excel application template (header, example row, notes in ja/en)."""
    run(lambda: write_template(out, load_call(call, call_file)))
    typer.echo(f"Wrote {out}")


__all__ = ["app", "load_call", "run"]
