"""``jcm mrv``: list methodologies, show one with its INPUT.json format, run a calculation."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from jcm.cli_options import EncodingOpt
from jcm.errors import JcmError
from jcm.mrv.calc import CalculationResult, InputFile, calculate
from jcm.mrv.examples import INPUT_FORMAT, example_input
from jcm.mrv.ingest import read_monitoring_file, sha256_of
from jcm.mrv.inputs import parse_input
from jcm.mrv.methodologies import REGISTRY
from jcm.mrv.methodology import Methodology

app = typer.Typer(
    help="MRV engine: methodologies and emission-reduction calculations.", no_args_is_help=True
)
LARGE_FILE = 20 * 1024 * 1024


def _out(json_mode: bool = False) -> Console:
    return Console(highlight=False, soft_wrap=json_mode)


def _fail(error: JcmError) -> None:
    err = Console(stderr=True, highlight=False)
    err.print(f"Error: {error.message_en}", markup=False)
    err.print(f"エラー: {error.message_ja}", markup=False)
    for p in error.problems:
        where = f"row {p.row}, " if p.row is not None else ""
        err.print(f"  - {where}{p.field}: {p.message_en} / {p.message_ja}", markup=False)
    raise typer.Exit(code=2)


def _emit(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@app.command("methodologies")
def methodologies(
    methodology_id: Annotated[str | None, typer.Argument(help="ID or ID:version")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output")] = False,
) -> None:
    """List methodologies, or show one with its parameters and INPUT.json format."""
    try:
        if methodology_id is None:
            _list(as_json)
        else:
            _show(REGISTRY.parse(methodology_id), as_json)
    except JcmError as exc:
        _fail(exc)


def _list(as_json: bool) -> None:
    items = REGISTRY.all()
    if as_json:
        _emit([m.summary() for m in items])
        return
    table = Table("ID", "Version", "Family", "Title", "名称")
    for m in items:
        table.add_row(m.id, m.version, m.family, m.title_en, m.title_ja)
    _out().print(table)


def _show(m: Methodology, as_json: bool) -> None:
    example = example_input(m)
    if as_json:
        _emit(m.as_dict() | {"input_format": INPUT_FORMAT, "example_input": example})
        return
    out = _out()
    out.print(f"[bold]{m.key}[/bold]  {m.title_en} / {m.title_ja}\nScope: {m.sectoral_scope}")
    for eq in m.equations:
        out.print(f"  {eq}", markup=False)
    table = Table("Symbol", "Unit", "Source", "Option", "Range", "Default", "Description")
    for p in m.parameters:
        table.add_row(
            p.symbol,
            p.unit,
            p.source.value,
            p.option or "",
            f"{p.minimum if p.minimum is not None else ''}..{p.maximum or ''}",
            str(p.default or ""),
            f"{p.description_en}\n{p.description_ja}",
        )
    out.print(table)
    out.print("Applicability / 適用条件:")
    for c in m.applicability:
        out.print(f"  - {c.en}\n    {c.ja}", markup=False)
    out.print(INPUT_FORMAT, markup=False)
    out.print("Example INPUT.json:", markup=False)
    out.print(json.dumps(example, ensure_ascii=False, indent=2), markup=False)


@app.command("calc")
def calc(
    methodology: Annotated[str, typer.Option("--methodology", "-m", help="ID or ID:version")],
    input_path: Annotated[Path, typer.Option("--input", "-i", help="INPUT.json")],
    data: Annotated[Path | None, typer.Option("--data", "-d", help="CSV, XLSX or Parquet")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output")] = False,
    encoding: EncodingOpt = "auto",
) -> None:
    """Calculate reference, project emissions and emission reductions for one period."""
    try:
        result = _run(methodology, input_path, data, as_json, encoding)
    except JcmError as exc:
        _fail(exc)
        return
    except OSError as exc:
        Console(stderr=True).print(
            f"Error: {exc}\nエラー: ファイルを読めません: {exc.filename}", markup=False
        )
        raise typer.Exit(code=2) from None
    if as_json:
        _emit(result.as_dict())
    else:
        _summary(result)


def _run(
    ref: str, input_path: Path, data: Path | None, quiet: bool, encoding: str = "auto"
) -> CalculationResult:
    m = REGISTRY.parse(ref)
    inputs = parse_input(input_path.read_bytes())
    files = (InputFile(input_path.name, sha256_of(input_path)),)
    if quiet or data is None or data.stat().st_size < LARGE_FILE:
        monitoring = read_monitoring_file(data, inputs.timezone, encoding) if data else None
        return calculate(m, inputs, monitoring, input_files=files)
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, transient=True) as progress:
        task = progress.add_task(f"Reading and validating {data.name}", total=2)
        monitoring = read_monitoring_file(data, inputs.timezone, encoding)
        progress.update(task, advance=1, description="QA/QC and calculation (streaming)")
        result = calculate(m, inputs, monitoring, input_files=files, streaming=True)
        progress.update(task, advance=1)
    return result


def _summary(r: CalculationResult) -> None:
    out = _out()
    out.print(
        f"{r.methodology_id}:{r.methodology_version}  {r.period_start_utc} → {r.period_end_utc}",
        markup=False,
    )
    out.print(f"RE = {r.reference_emissions} tCO2\nPE = {r.project_emissions} tCO2")
    out.print(f"ER (exact) = {r.emission_reductions_exact} tCO2")
    out.print(f"[bold]ER = {r.emission_reductions} tCO2[/bold] (floored)")
    for name, count in r.qa.counts().items():
        out.print(f"  QA {name}: {count}", markup=False)
