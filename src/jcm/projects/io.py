"""Project files: read CSV/XLSX into validated rows (every bad row named), write exports."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from pydantic import ValidationError

from jcm import encodings
from jcm.encodings import AUTO
from jcm.errors import FieldProblem, ImportRejected, ValidationFailed
from jcm.exports import for_people, neutralise_record, neutralise_row
from jcm.projects.schemas import ProjectIn

COLUMNS = [
    "ref",
    "partner_country",
    "title_en",
    "title_ja",
    "technology",
    "capacity_mw",
    "representative_participant",
    "representative_participant_ja",
    "members",
    "methodology_id",
    "expected_reduction_tco2_per_year",
    "fiscal_year",
    "programme",
    "latitude",
    "longitude",
    "status",
    "illustrative",
]
REQUIRED = {
    "ref",
    "partner_country",
    "title_en",
    "title_ja",
    "technology",
    "representative_participant",
    "expected_reduction_tco2_per_year",
    "fiscal_year",
}
MAX_ROWS = 200_000


def _rows_csv(text: str) -> Iterator[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))  # line ends as the file has them
    row = 2  # rows are numbered as in a spreadsheet: the header is row 1
    try:
        for record in reader:
            yield record
            row += 1
    except csv.Error as exc:
        problem = FieldProblem(
            "file",
            f"The CSV cannot be read here ({exc}).",
            f"CSVをここで読み取れません（{exc}）。",
            row=row,
        )
        raise ImportRejected.of([problem]) from exc


def _rows_xlsx(data: bytes) -> Iterator[dict[str, Any]]:
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    ws = wb.worksheets[0]
    it = ws.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(it, ())]
    for values in it:
        if all(v is None or v == "" for v in values):
            continue
        yield dict(zip(header, values, strict=False))
    wb.close()


def read_rows(name: str, data: bytes, encoding: str | None = AUTO) -> list[dict[str, Any]]:
    """The rows of a .csv or .xlsx file (see :func:`read_table`)."""
    return read_table(name, data, encoding)[0]


def read_table(
    name: str, data: bytes, encoding: str | None = AUTO
) -> tuple[list[dict[str, Any]], str | None]:
    """The rows of a .csv or .xlsx file and, for a CSV, the encoding it was read in
    (UTF-8 with or without BOM, or CP932, found by :mod:`jcm.encodings` unless chosen)."""
    from jcm.uploads import ZIP_TYPES, check_zip

    suffix = Path(name).suffix.lower()
    chosen = encodings.choice(encoding)
    if suffix in ZIP_TYPES:
        check_zip(data)  # refuse a decompression bomb before openpyxl opens it
    found: str | None = None
    if suffix == ".csv":
        decoded = encodings.decode(data, chosen, name=Path(name).name)
        found = decoded.encoding
        rows = list(_rows_csv(decoded.text))
    elif suffix == ".xlsx":
        rows = list(_rows_xlsx(data))
    else:
        raise ValidationFailed.of(
            [
                FieldProblem(
                    "file",
                    f"Unsupported file type '{suffix}': use .csv or .xlsx.",
                    f"未対応のファイル形式「{suffix}」です。.csv または .xlsx を使用してください。",
                )
            ]
        )
    if len(rows) > MAX_ROWS:
        raise ValidationFailed.of(
            [
                FieldProblem(
                    "file",
                    f"Too many rows ({len(rows)}; at most {MAX_ROWS}).",
                    f"行数が多すぎます（{len(rows)} 行、上限 {MAX_ROWS} 行）。",
                )
            ]
        )
    return rows, found


def _clean(raw: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key is None or key == "":
            continue
        if isinstance(value, str):
            value = value.strip()
        if value == "" or value is None:
            continue
        out[key.strip()] = value
    if isinstance(out.get("members"), str):
        out["members"] = [m.strip() for m in out["members"].split(";") if m.strip()]
    if isinstance(out.get("illustrative"), str):
        out["illustrative"] = out["illustrative"].lower() in {"true", "1", "yes"}
    for k in ("expected_reduction_tco2_per_year", "fiscal_year"):
        if isinstance(out.get(k), float) and out[k].is_integer():
            out[k] = int(out[k])
        elif isinstance(out.get(k), str) and out[k].replace(",", "").isdigit():
            out[k] = int(out[k].replace(",", ""))
    return out


def parse_rows(
    rows: Iterable[dict[str, Any]], *, first_row: int = 2
) -> tuple[list[tuple[int, ProjectIn]], list[FieldProblem]]:
    """Validate every row; row numbers are as a person sees them (header is row 1)."""
    parsed: list[tuple[int, ProjectIn]] = []
    problems: list[FieldProblem] = []
    for n, raw in enumerate(rows, start=first_row):
        unknown = [k for k in raw if k and k.strip() not in COLUMNS]
        for k in unknown:
            problems.append(
                FieldProblem(k, f"Unknown column '{k}'.", f"不明な列「{k}」です。", row=n)
            )
        clean = {k: v for k, v in _clean(raw).items() if k in COLUMNS}
        try:
            parsed.append((n, ProjectIn.model_validate(clean)))
        except ValidationError as exc:
            for e in exc.errors():
                field = ".".join(str(x) for x in e["loc"]) or "row"
                missing = e["type"] == "missing"
                problems.append(
                    FieldProblem(
                        field,
                        "This required value is missing." if missing else e["msg"],
                        "必須の値がありません。" if missing else f"値が不正です（{e['msg']}）。",
                        row=n,
                    )
                )
    return parsed, problems


def reject_if(problems: list[FieldProblem]) -> None:
    if problems:
        raise ImportRejected.of(sorted(problems, key=lambda p: (p.row or 0, p.field)))


def to_csv(items: list[dict[str, Any]]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, extrasaction="ignore")
    w.writeheader()
    for it in items:
        members = ";".join(m["name_en"] for m in it.get("members", []))
        w.writerow(neutralise_record({**it, "members": members}))
    return buf.getvalue().encode("utf-8")


def to_excel_csv(items: list[dict[str, Any]]) -> bytes:
    """The CSV for Excel on a Japanese PC ("Excel (日本語)"): UTF-8 with a byte-order mark,
    so Japanese text is not read as Shift_JIS; rows end CRLF as in :func:`to_csv`."""
    return encodings.BOM + to_csv(items)


def to_xlsx(items: list[dict[str, Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "projects"
    ws.append(COLUMNS)
    for it in items:
        row = {**it, "members": ";".join(m["name_en"] for m in it.get("members", []))}
        ws.append(neutralise_row(row.get(c) for c in COLUMNS))
    buf = io.BytesIO()
    for_people(wb).save(buf)
    return buf.getvalue()


def to_json(items: list[dict[str, Any]]) -> bytes:
    return json.dumps(items, ensure_ascii=False, indent=2).encode("utf-8")
