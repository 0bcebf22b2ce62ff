"""``jcm registry``: accounts, issuance, transfers, cancellation, retirement, holdings,
verification and the Article 6.2 AEF export. Every command takes ``--json``."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import BaseModel

from jcm import formats
from jcm.audit import Context
from jcm.db import Database
from jcm.errors import JcmError
from jcm.labels import label
from jcm.registry import aef_checks, aef_workbook, service
from jcm.registry.from_mrv import record_verified_period_from_mrv
from jcm.registry.schemas import CancelRequest, IssueRequest, RetireRequest, TransferRequest
from jcm.runtime import open_database

app = typer.Typer(help="JCM registry: serial-numbered credits / JCM登録簿", no_args_is_help=True)
CTX = Context(actor="cli", client="cli")
Json = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
Key = Annotated[str, typer.Option("--key", help="Idempotency key of this request.")]
Lang = Annotated[str, typer.Option("--lang", help="Language of error messages: en or ja.")]


@contextmanager
def _database(lang: str, as_json: bool) -> Iterator[Database]:
    db = open_database()
    try:
        yield db
    except JcmError as err:
        typer.echo(
            json.dumps(err.as_dict(), ensure_ascii=False) if as_json else err.message(lang),
            err=True,
        )
        raise typer.Exit(2) from err
    finally:
        db.dispose()


def _show(
    value: BaseModel | list[Any] | dict[str, Any], as_json: bool, text: Callable[[], str]
) -> None:
    if as_json:
        data = value.model_dump(mode="json") if isinstance(value, BaseModel) else value
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        typer.echo(text())


def _outcome_text(out: Any) -> str:
    head = f"{out.kind} #{out.transaction_id}: {out.quantity} tCO2" + (
        " (replayed)" if out.replayed else ""
    )
    lines = [
        f"  {m.quantity:>10}  {m.first_unit} … {m.last_unit}  → {m.to_account}" for m in out.moved
    ]
    return "\n".join([head, *lines])


@app.command()
def accounts(
    registry: Annotated[str | None, typer.Option()] = None, as_json: Json = False, lang: Lang = "en"
) -> None:
    """List accounts with their status and balance."""
    with _database(lang, as_json) as db, db.read() as s:
        rows = service.accounts(s, registry_code=registry)
        _show(
            [r.model_dump() for r in rows],
            as_json,
            lambda: "\n".join(
                f"{r.number:<16} {r.registry}  {label(lang, 'account_kind', r.kind):<28} "
                f"{label(lang, 'account_status', r.status):<8} "
                f"{formats.tonnes(lang, r.balance):>16}  {r.organisation}"
                for r in rows
            ),
        )


@app.command("from-mrv")
def from_mrv(
    mrv_period: Annotated[int, typer.Option(help="MRV monitoring period id (verified).")],
    decision_ref: Annotated[
        str | None, typer.Option(help="Joint Committee issuance decision reference.")
    ] = None,
    decision_date: Annotated[
        str | None, typer.Option(help="Date of the decision, YYYY-MM-DD.")
    ] = None,
    as_json: Json = False,
    lang: Lang = "en",
) -> None:
    """Record the registry's verified period from a verified MRV period (amount = verified ER)."""
    when = date.fromisoformat(decision_date) if decision_date else None
    with _database(lang, as_json) as db, db.write() as s:
        period = record_verified_period_from_mrv(s, CTX, mrv_period, decision_ref, when)
        data = {
            "verified_period_id": period.id,
            "period_start": period.period_start.isoformat(),
            "period_end": period.period_end.isoformat(),
            "verified_tco2": period.verified_tco2,
            "jc_decision_ref": period.jc_decision_ref,
            "jc_decision_date": when.isoformat() if when else None,
        }
        _show(
            data,
            as_json,
            lambda: (
                f"verified period #{period.id}: {period.period_start} – {period.period_end},"
                f" {period.verified_tco2} tCO2"
            ),
        )


@app.command()
def issue(
    period: Annotated[int, typer.Option(help="Verified period id.")],
    amount: Annotated[int, typer.Option()],
    key: Key,
    as_json: Json = False,
    lang: Lang = "en",
) -> None:
    """Issue credits for a verified monitoring period by the project's allocation."""
    with _database(lang, as_json) as db:
        out = service.issue(
            db, CTX, IssueRequest(idempotency_key=key, verified_period_id=period, amount=amount)
        )
        _show(out, as_json, lambda: _outcome_text(out))


@app.command()
def transfer(
    from_account: Annotated[str, typer.Option("--from")],
    to_account: Annotated[str, typer.Option("--to")],
    quantity: Annotated[int, typer.Option()],
    key: Key,
    issuance: Annotated[int | None, typer.Option()] = None,
    serial_start: Annotated[int | None, typer.Option()] = None,
    external: Annotated[
        bool, typer.Option(help="Between Japan's and a partner's registry.")
    ] = False,
    as_json: Json = False,
    lang: Lang = "en",
) -> None:
    """Transfer units to another holding account (--external across registries)."""
    req = TransferRequest(
        idempotency_key=key,
        from_account=from_account,
        to_account=to_account,
        quantity=quantity,
        issuance_id=issuance,
        serial_start=serial_start,
    )
    with _database(lang, as_json) as db:
        out = (service.external_transfer if external else service.transfer)(db, CTX, req)
        _show(out, as_json, lambda: _outcome_text(out))


@app.command()
def cancel(
    from_account: Annotated[str, typer.Option("--from")],
    quantity: Annotated[int, typer.Option()],
    key: Key,
    to_account: Annotated[str | None, typer.Option("--to")] = None,
    purpose: Annotated[str | None, typer.Option()] = None,
    issuance: Annotated[int | None, typer.Option()] = None,
    as_json: Json = False,
    lang: Lang = "en",
) -> None:
    """Cancel units into a cancellation account of the same registry."""
    req = CancelRequest(
        idempotency_key=key,
        from_account=from_account,
        to_account=to_account,
        quantity=quantity,
        purpose=purpose,
        issuance_id=issuance,
    )
    with _database(lang, as_json) as db:
        out = service.cancel(db, CTX, req)
        _show(out, as_json, lambda: _outcome_text(out))


@app.command()
def retire(
    from_account: Annotated[str, typer.Option("--from")],
    quantity: Annotated[int, typer.Option()],
    key: Key,
    purpose: Annotated[str, typer.Option()],
    beneficiary: Annotated[str, typer.Option()],
    to_account: Annotated[str | None, typer.Option("--to")] = None,
    issuance: Annotated[int | None, typer.Option()] = None,
    as_json: Json = False,
    lang: Lang = "en",
) -> None:
    """Retire units for a purpose and beneficiary."""
    req = RetireRequest(
        idempotency_key=key,
        from_account=from_account,
        to_account=to_account,
        quantity=quantity,
        purpose=purpose,
        beneficiary=beneficiary,
        issuance_id=issuance,
    )
    with _database(lang, as_json) as db:
        out = service.retire(db, CTX, req)
        _show(out, as_json, lambda: _outcome_text(out))


@app.command()
def holdings(
    account: str,
    after: Annotated[int | None, typer.Option()] = None,
    limit: Annotated[int, typer.Option()] = 100,
    as_json: Json = False,
    lang: Lang = "en",
) -> None:
    """One page of an account's blocks; continue with --after NEXT."""
    with _database(lang, as_json) as db, db.read() as s:
        page = service.blocks_held_by(s, account, after=after, limit=limit)
        _show(
            page,
            as_json,
            lambda: "\n".join(
                [
                    f"{b.block_id:>10} {b.quantity:>10} {b.state:<9} {b.first_unit} … {b.last_unit}"
                    for b in page.blocks
                ]
                + [f"next: --after {page.next_after}" if page.next_after else "end"]
            ),
        )


@app.command()
def verify(as_json: Json = False, lang: Lang = "en") -> None:
    """Rebuild holdings from the log and check every invariant; exit 1 on any problem."""
    with _database(lang, as_json) as db, db.read() as s:
        report = service.verify(s)
    _show(
        report,
        as_json,
        lambda: "\n".join(
            [
                f"{'OK' if report.ok else 'PROBLEMS'}: {report.transactions} transactions, "
                f"{report.issuances} issuances, {report.blocks} blocks, {report.audit_entries} audit entries",
                *report.problems,
            ]
        ),
    )
    if not report.ok:
        raise typer.Exit(1)


@app.command("set-identifiers")
def set_identifiers(
    registry: Annotated[str, typer.Option(help="Registry code, e.g. MN.")],
    approach: Annotated[
        str | None, typer.Option("--approach", help="Cooperative approach ID, CA####.")
    ] = None,
    itmo_registry: Annotated[
        str | None, typer.Option("--itmo-registry", help="Party ITMO registry ID, e.g. MNG01.")
    ] = None,
    as_json: Json = False,
    lang: Lang = "en",
) -> None:
    """Set a registry's Article 6.2 identifiers (cooperative approach, Party ITMO registry)."""
    with _database(lang, as_json) as db, db.write() as s:
        reg = service.configure_identifiers(
            s, CTX, registry, cooperative_approach_id=approach, itmo_registry_id=itmo_registry
        )
        out = {
            "registry": reg.code,
            "cooperative_approach_id": reg.cooperative_approach_id,
            "itmo_registry_id": reg.itmo_registry_id,
        }
    _show(out, as_json, lambda: " ".join(f"{k}={v or '-'}" for k, v in out.items()))


@app.command("export-aef")
def export_aef(
    year: Annotated[int, typer.Option()],
    party: Annotated[str, typer.Option(help="ISO 3166 alpha-3 of the reporting Party.")],
    out: Annotated[Path, typer.Option()] = Path("."),
    fmt: Annotated[str, typer.Option("--format", help="xlsx or csv")] = "xlsx",
    as_json: Json = False,
    lang: Lang = "en",
) -> None:
    """Write one Party's Article 6.2 AEF report for a year: the reporting tool's workbook
    (seven sheets), or one CSV file per table."""
    with _database(lang, as_json) as db, db.read() as s:
        report = aef_workbook.build(s, party, year)
    paths = aef_workbook.write(report, out, fmt)
    files = [str(p) for p in paths]
    summary = {**{k: len(v) for k, v in report.tables.items()}, "files": files}
    _show(
        summary,
        as_json,
        lambda: (
            ", ".join(f"{len(v)} {k}" for k, v in report.tables.items()) + " → " + ", ".join(files)
        ),
    )


@app.command("check-aef")
def check_aef(
    year: Annotated[int, typer.Option()],
    party: Annotated[str, typer.Option(help="ISO 3166 alpha-3 of the reporting Party.")],
    as_json: Json = False,
    lang: Lang = "en",
) -> None:
    """Run the consistency checks a technical expert review runs on one Party's AEF report
    for a year, before it is submitted; exit 1 when one fails."""
    with _database(lang, as_json) as db, db.read() as s:
        checked = aef_checks.check(s, party, year)
    _show(checked.as_dict(), as_json, lambda: _checks_text(checked, lang))
    if not checked.passed:
        raise typer.Exit(1)


def _checks_text(checked: aef_checks.CheckedReport, lang: str) -> str:
    lines = []
    for c in checked.checks:
        result = label(lang, "aef_check_result", "passed" if c.passed else "failed")
        lines.append(f"{result}  {label(lang, 'aef_check', c.code)}")
        lines += [f"    {p}" for p in (c.problems_ja if lang == "ja" else c.problems_en)]
    return "\n".join([f"{checked.party} {checked.year}", *lines])
