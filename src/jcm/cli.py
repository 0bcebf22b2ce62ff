"""The `jcm` command: thin commands over the services, each one transaction."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from jcm import audit
from jcm.auth.rules import SYSTEM_PRINCIPAL, Role
from jcm.cli_options import EncodingOpt
from jcm.errors import JcmError
from jcm.runtime import open_database
from jcm.settings import get_settings

app = typer.Typer(help="JCM Platform / JCMプラットフォーム", no_args_is_help=True)
db_app = typer.Typer(help="Database / データベース", no_args_is_help=True)
demo_app = typer.Typer(help="Demo data / デモデータ", no_args_is_help=True)
projects_app = typer.Typer(help="Projects / プロジェクト", no_args_is_help=True)
users_app = typer.Typer(help="Users / ユーザー", no_args_is_help=True)
cities_app = typer.Typer(help="City-to-city / 都市間連携", no_args_is_help=True)
audit_app = typer.Typer(help="Audit log / 監査ログ", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(demo_app, name="demo")
app.add_typer(projects_app, name="projects")
app.add_typer(users_app, name="users")
app.add_typer(cities_app, name="cities")
app.add_typer(audit_app, name="audit")


def _mount_features() -> None:
    from jcm.mrv.cli import app as mrv_app
    from jcm.operations import cli as operations_cli
    from jcm.registry.cli import app as registry_app
    from jcm.subsidy.cli import app as subsidy_app

    app.add_typer(
        subsidy_app, name="subsidy", help="Subsidy screening and selection / 補助金審査・選定"
    )
    app.add_typer(mrv_app, name="mrv", help="Methodologies and calculations / 方法論と削減量計算")
    app.add_typer(registry_app, name="registry", help="Credit registry / クレジット登録簿")
    app.command("serve")(operations_cli.serve)
    db_app.command("backup")(operations_cli.backup)
    db_app.command("restore")(operations_cli.restore)


_mount_features()

console = Console()
err = Console(stderr=True)
CLI_CTX = audit.Context(actor="cli")


def fail(exc: JcmError) -> typer.Exit:
    """Print a domain error in both languages, each problem on its own line."""
    err.print(f"[red]error[/red] ({exc.code}): {exc.message_en}", highlight=False)
    err.print(f"エラー: {exc.message_ja}", highlight=False)
    for p in exc.problems:
        where = f"row {p.row}, " if p.row is not None else ""
        err.print(f"  - {where}{p.field}: {p.message_en} / {p.message_ja}", highlight=False)
    return typer.Exit(code=2)


def main() -> None:
    """The ``jcm`` command. A database that is missing, behind the migrations or unreachable
    is one line in each language and exit code 2; ``--debug`` shows the traceback instead."""
    from sqlalchemy.exc import DBAPIError

    from jcm.runtime import DatabaseNotReady

    debug = "--debug" in sys.argv[1:]
    if debug:
        sys.argv.remove("--debug")
    try:
        app()
    except (DatabaseNotReady, DBAPIError) as exc:
        if debug:
            raise
        if isinstance(exc, DatabaseNotReady):
            err.print(f"error: {exc.message_en}", highlight=False, markup=False, soft_wrap=True)
            err.print(f"エラー: {exc.message_ja}", highlight=False, markup=False, soft_wrap=True)
        else:
            reason = str(exc.orig).strip().splitlines()[0][:200] if exc.orig else str(exc)[:200]
            err.print(
                f"error: the database failed: {reason}",
                highlight=False,
                markup=False,
                soft_wrap=True,
            )
            err.print(
                f"エラー: データベースでエラーが発生しました：{reason}",
                highlight=False,
                markup=False,
                soft_wrap=True,
            )
        raise SystemExit(2) from None


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every migration and load the shipped reference data."""
    from jcm.migrate import upgrade
    from jcm.reference.service import sync_reference_data

    db = open_database(check=False)
    upgrade(db.engine)
    with db.write() as s:
        sync_reference_data(s)
    console.print("database is up to date / データベースは最新です")


@demo_app.command("load")
def demo_load() -> None:
    """Load the demo projects, city pairs and users (safe to run again)."""
    from jcm.demo import DEMO_PASSWORD, load_demo
    from jcm.mrv.demo_load import load_mrv_demo
    from jcm.platform.demo_load import load_platform_demo
    from jcm.registry.demo_load import load_registry_demo
    from jcm.subsidy.service_demo import load_subsidy_demo

    db = open_database()
    with db.write() as s:
        logins = load_demo(s, CLI_CTX)
        load_subsidy_demo(s, CLI_CTX)
        load_mrv_demo(s, CLI_CTX)
        load_platform_demo(s, CLI_CTX)
    load_registry_demo(db, CLI_CTX)
    table = Table(title=f"Demo logins / デモ用ログイン (password / パスワード: {DEMO_PASSWORD})")
    table.add_column("username")
    table.add_column("role")
    for username, role in logins:
        table.add_row(username, role)
    console.print(table)


@projects_app.command("list")
def projects_list(
    country: Annotated[str | None, typer.Option(help="ISO 3166 alpha-3")] = None,
    fiscal_year: Annotated[int | None, typer.Option(help="Fiscal year adopted")] = None,
    technology: Annotated[str | None, typer.Option()] = None,
    status: Annotated[str | None, typer.Option()] = None,
    q: Annotated[str | None, typer.Option(help="Search text (ja/en)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """List projects."""
    from jcm.projects.service import ProjectQuery, list_projects

    query = ProjectQuery(country, technology, status, fiscal_year, q, limit=1_000_000)
    with open_database().read() as s:
        items, total = list_projects(s, query)
    if as_json:
        emit_json(items)
        return
    table = Table(title=f"{total} projects / プロジェクト")
    for col in ("ref", "country", "FY", "technology", "tCO2/y", "status", "title"):
        table.add_column(col)
    for it in items:
        table.add_row(
            it["ref"],
            it["partner_country"],
            str(it["fiscal_year"]),
            it["technology"],
            f"{it['expected_reduction_tco2_per_year']:,}",
            it["status"],
            it["title_en"],
        )
    console.print(table)


@projects_app.command("show")
def projects_show(
    ref: str, as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False
) -> None:
    """Show one project with its status history."""
    from jcm.projects.service import project_detail

    try:
        with open_database().read() as s:
            detail = project_detail(s, ref)
    except JcmError as exc:
        raise fail(exc) from None
    if as_json:
        emit_json(detail)
        return
    for key, value in detail.items():
        if key != "history":
            console.print(f"[bold]{key}[/bold]: {value}", highlight=False)
    for h in detail["history"]:
        console.print(f"  {h['at']}  {h['from']} → {h['to']}  {h['actor']}  {h['reason']}")


@projects_app.command("transition")
def projects_transition(
    ref: str,
    to: Annotated[str, typer.Argument(help="Target status")],
    reason: Annotated[str, typer.Option(help="Why")] = "",
) -> None:
    """Move a project to its next life-cycle status (or withdraw it)."""
    from jcm.projects.rules import Status
    from jcm.projects.service import transition

    try:
        target = Status(to)
    except ValueError:
        err.print(f"unknown status '{to}' / 不明な状態: {', '.join(s.value for s in Status)}")
        raise typer.Exit(2) from None
    try:
        with open_database().write() as s:
            p = transition(s, CLI_CTX, SYSTEM_PRINCIPAL, ref, target, reason)
            console.print(f"{p.ref}: {p.status}")
    except JcmError as exc:
        raise fail(exc) from None


@projects_app.command("import")
def projects_import(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help=".csv or .xlsx")],
    encoding: EncodingOpt = "auto",
) -> None:
    """Import projects: every row is checked first; any error writes nothing."""
    from jcm.encodings import label
    from jcm.projects.importing import IMPORT_TYPES, import_projects
    from jcm.uploads import UploadLimits, read_file

    try:
        data = read_file(file, IMPORT_TYPES, UploadLimits.of(get_settings()))
        with open_database().write() as s:
            done = import_projects(s, CLI_CTX, SYSTEM_PRINCIPAL, file.name, data, encoding=encoding)
    except JcmError as exc:
        raise fail(exc) from None
    n = len(done.refs)
    read_as = f" ({label(done.encoding)})" if done.encoding else ""
    console.print(f"imported {n} projects / {n} 件のプロジェクトを取り込みました{read_as}")


EXPORT_FORMATS = ("csv", "csv-excel", "xlsx", "json")


@projects_app.command("export")
def projects_export(
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="csv, csv-excel (Excel 日本語: UTF-8 with BOM, CRLF), xlsx or json",
        ),
    ] = "csv",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File (default: stdout)")
    ] = None,
) -> None:
    """Export every project."""
    from jcm.projects import io
    from jcm.projects.service import ProjectQuery, list_projects

    if fmt not in EXPORT_FORMATS:
        err.print(
            "--format must be csv, csv-excel, xlsx or json / "
            "--format は csv, csv-excel, xlsx, json のいずれかです"
        )
        raise typer.Exit(2)
    with open_database().read() as s:
        items, _ = list_projects(s, ProjectQuery(limit=10_000_000))
    writers = {"csv": io.to_csv, "csv-excel": io.to_excel_csv, "xlsx": io.to_xlsx}
    data = writers.get(fmt, io.to_json)(items)
    if output:
        output.write_bytes(data)
    elif fmt == "xlsx":
        err.print("xlsx needs --output FILE / xlsx には --output が必要です")
        raise typer.Exit(2)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)  # the bytes as they are (a BOM included)
        sys.stdout.buffer.flush()


@users_app.command("create")
def users_create(
    username: str,
    role: Annotated[Role, typer.Option(help="Role")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
    organisation: Annotated[str | None, typer.Option(help="Organisation (English name)")] = None,
    display_name: Annotated[str, typer.Option()] = "",
    language: Annotated[str, typer.Option(help="ja or en")] = "ja",
) -> None:
    """Create a user."""
    from jcm.auth.service import create_user

    try:
        with open_database().write() as s:
            create_user(
                s,
                CLI_CTX,
                username=username,
                password=password,
                role=role,
                display_name=display_name,
                organisation=organisation,
                language=language,
            )
    except JcmError as exc:
        raise fail(exc) from None
    console.print(f"created {username} ({role.value})")


@users_app.command("list")
def users_list(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List users."""
    from jcm.auth.service import users

    with open_database().read() as s:
        rows: list[dict[str, Any]] = [
            {
                "username": u.username,
                "display_name": u.display_name,
                "role": u.role,
                "organisation": o.name_en if o else None,
                "active": u.is_active,
            }
            for u, o in users(s)
        ]
    if as_json:
        emit_json(rows)
        return
    table = Table(title="Users / ユーザー")
    for col in ("username", "role", "organisation", "active"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["username"], r["role"], r["organisation"] or "", str(r["active"]))
    console.print(table)


@users_app.command("token")
def users_token(username: str, name: Annotated[str, typer.Option()] = "cli") -> None:
    """Create an API bearer token for a user (shown once)."""
    from jcm.auth.service import create_token

    try:
        with open_database().write() as s:
            token = create_token(s, CLI_CTX, username, name)
    except JcmError as exc:
        raise fail(exc) from None
    sys.stdout.write(token + "\n")


@cities_app.command("list")
def cities_list(
    country: Annotated[str | None, typer.Option()] = None,
    fiscal_year: Annotated[int | None, typer.Option()] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List city-to-city collaborations."""
    from jcm.cities.service import city_pairs

    with open_database().read() as s:
        rows = city_pairs(s, country=country, fiscal_year=fiscal_year)
    if as_json:
        emit_json(rows)
        return
    table = Table(title="City-to-city / 都市間連携")
    for col in ("FY", "country", "partner city", "Japanese municipality", "projects"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            str(r["fiscal_year"]),
            r["country"],
            r["partner_city_en"],
            r["japanese_municipality_en"],
            ", ".join(r["projects"]),
        )
    console.print(table)


@audit_app.command("verify")
def audit_verify(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Recompute the audit log's hash chain; exit 1 if any entry was changed or removed."""
    with open_database().read() as s:
        report = audit.verify_chain(s)
    if as_json:
        emit_json({"ok": report.ok, "entries": report.entries, "problems": report.problems})
    else:
        for p in report.problems:
            err.print(f"[red]{p}[/red]", highlight=False)
        console.print(
            f"{report.entries} entries checked / {report.entries} 件を検査: {'ok' if report.ok else 'BROKEN / 改ざんを検出'}"
        )
    if not report.ok:
        raise typer.Exit(1)
