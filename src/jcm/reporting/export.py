"""A dashboard table as CSV or xlsx, with the same columns the page shows."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

from jcm.exports import for_people, neutralise_row


def to_csv(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    """UTF-8 with a byte-order mark so spreadsheet programs read Japanese correctly."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(neutralise_row(columns))
    writer.writerows(neutralise_row("" if v is None else v for v in row) for row in rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_excel_csv(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    """The "Excel (日本語)" CSV: UTF-8 with a byte-order mark and CRLF row ends, which Excel
    on a Japanese PC opens without garbling (without the mark it reads Shift_JIS). The
    open-data CSV has carried the mark since it was published, so the two are alike; this one
    is named for people, the other is the documented machine format."""
    return to_csv(columns, rows)


def to_xlsx(sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[Any]]]]) -> bytes:
    """One workbook, one sheet per (name, columns, rows)."""
    wb = Workbook()
    if wb.active is not None:
        wb.remove(wb.active)
    for name, columns, rows in sheets:
        ws = wb.create_sheet(name[:31])
        ws.append(neutralise_row(columns))
        for row in rows:
            ws.append(neutralise_row(row))
    out = io.BytesIO()
    for_people(wb).save(out)
    return out.getvalue()
