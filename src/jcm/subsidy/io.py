"""Read applications from JSON (object or list), CSV and XLSX files.

A file is all or nothing: if any row has a bad value, ``ImportRejected`` lists every
problem with the row number a person sees (the spreadsheet/CSV line, header = row 1; the
1-based position in a JSON list) and no application is returned.

In flat files the yearly schedule is given in columns ``schedule_jpy_fy2022``, ... .
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from jcm import encodings
from jcm.encodings import AUTO
from jcm.errors import FieldProblem, ImportRejected, ValidationFailed
from jcm.subsidy.application import Application
from jcm.subsidy.parsing import SimilarCounts, read_application
from jcm.subsidy.settings import CallSettings

SCHEDULE_PREFIX = "schedule_jpy_fy"
Record = tuple[int | None, Mapping[str, object]]


def read_applications(
    path: Path,
    call: CallSettings,
    *,
    similar_adopted: SimilarCounts | None = None,
    encoding: str | None = AUTO,
) -> list[Application]:
    """Applications from a .json, .csv or .xlsx file; raises ``ImportRejected``. A CSV is
    read in ``encoding`` (default: found, UTF-8 or CP932; see :mod:`jcm.encodings`)."""
    suffix = path.suffix.lower()
    chosen = encodings.choice(encoding)
    if suffix == ".json":
        records = json_records(decoded(path.read_bytes(), "utf-8"))
    elif suffix == ".csv":
        records = csv_records(encodings.decode(path.read_bytes(), chosen, name=path.name).text)
    elif suffix in (".xlsx", ".xlsm"):
        from jcm.uploads import check_zip

        content = path.read_bytes()
        check_zip(content)  # refuse a decompression bomb before openpyxl opens it
        records = xlsx_records(content)
    else:
        raise ImportRejected.of(
            [
                FieldProblem(
                    "(file)", f"unknown file type '{suffix}'.", f"未対応の形式です：'{suffix}'。"
                )
            ]
        )
    return applications_from_records(records, call, similar_adopted=similar_adopted)


def applications_from_records(
    records: Iterable[Record], call: CallSettings, *, similar_adopted: SimilarCounts | None = None
) -> list[Application]:
    """Parse every record; all problems of all rows are reported together."""
    apps: list[Application] = []
    problems: list[FieldProblem] = []
    seen: dict[str, int | None] = {}
    for row, record in records:
        app, found = read_application(
            _unflatten(record), call, row=row, similar_adopted=similar_adopted
        )
        problems.extend(found)
        if app is not None and app.id in seen:
            problems.append(_duplicate(app.id, row, seen[app.id]))
        elif app is not None:
            seen[app.id] = row
            apps.append(app)
    if problems and all(p.row is None for p in problems):
        raise ValidationFailed.of(problems)  # one JSON object: there are no rows to name
    if problems:
        raise ImportRejected.of(problems)
    return apps


def _duplicate(app_id: str, row: int | None, first: int | None) -> FieldProblem:
    return FieldProblem(
        "id",
        f"'{app_id}' is used again (first in row {first}).",
        f"'{app_id}' が重複しています（最初は行 {first}）。",
        row,
    )


def _unflatten(record: Mapping[str, object]) -> dict[str, object]:
    """Gather ``schedule_jpy_fyYYYY`` columns into ``schedule_jpy_by_fiscal_year``."""
    out: dict[str, object] = {}
    schedule: dict[str, object] = {}
    for key, value in record.items():
        if key.startswith(SCHEDULE_PREFIX):
            if value is not None and str(value).strip():
                schedule[key[len(SCHEDULE_PREFIX) :]] = value
        else:
            out[key] = value
    if schedule:
        out["schedule_jpy_by_fiscal_year"] = schedule
    return out


def decoded(content: bytes, encoding: str = "utf-8") -> str:
    """The text of an uploaded file; a file that is not UTF-8 is refused, not a crash."""
    try:
        return content.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ImportRejected.of(
            [
                FieldProblem(
                    "(file)",
                    f"not UTF-8 text (byte {exc.start}); save the file as UTF-8.",
                    f"UTF-8 のテキストではありません（{exc.start} バイト目）。UTF-8 で保存してください。",
                )
            ]
        ) from None


def json_records(text: str) -> list[Record]:
    """Records of a JSON object (one application) or list; exact numbers kept as Decimal."""
    try:
        data: Any = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise ImportRejected.of(
            [
                FieldProblem(
                    "(file)", f"not valid JSON: {exc}", f"JSON として読めません：{exc}", exc.lineno
                )
            ]
        ) from None
    if isinstance(data, Mapping):
        return [(None, data)]
    if isinstance(data, list) and all(isinstance(item, Mapping) for item in data):
        return [(i + 1, item) for i, item in enumerate(data)]
    raise ImportRejected.of(
        [
            FieldProblem(
                "(file)",
                "must hold a JSON object or a list of objects.",
                "JSON オブジェクトまたはそのリストが必要です。",
            )
        ]
    )


def csv_records(text: str) -> list[Record]:
    """Rows of a CSV with a header row, numbered by their line in the file."""
    reader = csv.DictReader(io.StringIO(text, newline=""))  # line ends as the file has them
    out: list[Record] = []
    try:
        for row in reader:
            record = {(k or "").strip(): v for k, v in row.items() if k}
            if any(str(v).strip() for v in record.values() if v is not None):
                # line_num counts blank lines the reader skipped, as an editor does
                out.append((reader.line_num, record))
    except csv.Error as exc:
        problem = FieldProblem(
            "(file)",
            f"line {reader.line_num + 1}: the CSV cannot be read ({exc})",
            f"{reader.line_num + 1} 行目：CSV を読み取れません（{exc}）",
            row=reader.line_num + 1,
        )
        raise ImportRejected.of([problem]) from None
    return out


def xlsx_records(content: bytes) -> list[Record]:
    """Rows of the first sheet of a workbook with a header row; blank rows are skipped."""
    from openpyxl import load_workbook  # heavy import, only when a workbook is read

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise ImportRejected.of(
            [
                FieldProblem(
                    "(file)",
                    f"not a readable .xlsx workbook: {exc}",
                    f"xlsx ファイルとして読めません：{exc}",
                )
            ]
        ) from None
    try:
        sheet = book["applications"] if "applications" in book.sheetnames else book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
        out: list[Record] = []
        for number, values in enumerate(rows, start=2):
            if any(v is not None and str(v).strip() for v in values):
                out.append((number, {h: v for h, v in zip(header, values, strict=False) if h}))
        return out
    finally:
        book.close()
