"""Monitoring-data ingest: CSV, Excel or Parquet in long format, normalised column-wise.

Every file has the columns ``timestamp, point, parameter, value, unit``. Rows are numbered as
a person sees them: in CSV and Excel the header is row 1, so the first reading is row 2; in
Parquet the first record is row 1. Timestamps with an offset are converted to UTC; naive ones
are read in the declared time zone. A bad file raises :class:`ImportRejected` naming each bad
row and column, and nothing is returned.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import polars as pl

from jcm.errors import FieldProblem, ImportRejected
from jcm.mrv import units

COLUMNS = ("timestamp", "point", "parameter", "value", "unit")
VALUE_TYPE = pl.Decimal(38, 9)
MAX_PROBLEMS = 20
_OFFSET = r"[+-]\d\d:?\d\d$"


@dataclass(frozen=True)
class MonitoringData:
    """Normalised readings (lazy) with the file's name, fingerprint and ingest notes.

    ``frame`` columns: row, point, parameter, ts (UTC), value (Decimal), unit.
    """

    name: str
    sha256: str
    frame: pl.LazyFrame
    notes: list[str] = field(default_factory=list)
    catalogue: Catalogue | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Catalogue:
    """One-pass summary of a validated file, for the QA fast path.

    ``keys`` has one row per raw (point, parameter, unit) key as written in the file, with the
    trimmed key, the row count and, over the normalised readings, the UTC time range, the number
    of distinct timestamps and the minimum, maximum and sum of the Decimal values.
    """

    raw: pl.LazyFrame
    timezone: str
    keys: pl.DataFrame

    def readings(self, raw_points: list[str]) -> pl.LazyFrame:
        """Normalised readings (no row number) of the points as written in the file."""
        raw = self.raw.filter(pl.col("point").cast(pl.String).is_in(raw_points))
        return raw.select(
            pl.col("point").cast(pl.String).str.strip_chars(),
            pl.col("parameter").cast(pl.String).str.strip_chars(),
            _timestamp(self.raw, self.timezone).alias("ts"),
            _value(self.raw).alias("value"),
            pl.col("unit").cast(pl.String).str.strip_chars(),
        )


def sha256_of(path: Path) -> str:
    """SHA-256 of a file's bytes, hex."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_monitoring_file(path: Path, timezone: str = "UTC") -> MonitoringData:
    """Read, validate and normalise one monitoring-data file (.csv, .xlsx or .parquet).

    A file the readers cannot parse (damaged, empty, not UTF-8, wrong type inside) is refused
    with ``ImportRejected``, like a file with bad rows.
    """
    try:
        raw, first_row = _scan(path)
        _require_columns(raw, first_row, path)
        frame = _normalise(raw, timezone, first_row)
        catalogue, notes = _checked_catalogue(raw, frame, timezone)
    except pl.exceptions.PolarsError as exc:
        raise _unreadable(path, exc) from None
    return MonitoringData(path.name, sha256_of(path), frame, notes, catalogue)


def _unreadable(path: Path, exc: Exception) -> ImportRejected:
    reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
    return ImportRejected.of(
        [
            FieldProblem(
                "file",
                f"{path.name} cannot be read: {reason}.",
                f"{path.name} を読み込めません：{reason}。",
            )
        ]
    )


def from_frame(df: pl.DataFrame, name: str = "in-memory", timezone: str = "UTC") -> MonitoringData:
    """Validate and normalise readings already in memory (long format, same columns).

    The fingerprint is the SHA-256 of the frame written as CSV.
    """
    raw = df.lazy()
    _require_columns(raw, 1, Path(name))
    frame = _normalise(raw, timezone, 1)
    catalogue, notes = _checked_catalogue(raw, frame, timezone)
    digest = hashlib.sha256(df.write_csv().encode()).hexdigest()
    return MonitoringData(name, digest, frame, notes, catalogue)


def _checked_catalogue(
    raw: pl.LazyFrame, frame: pl.LazyFrame, timezone: str
) -> tuple[Catalogue, list[str]]:
    """Validate in one pass over the file; on any bad row, name the rows (and raise)."""
    schema = raw.collect_schema()
    text_ts = not isinstance(schema["timestamp"], pl.Datetime)
    ts, value = _timestamp(raw, timezone), _value(raw)
    # Each reading is normalised once (UTC timestamp, Decimal value), then aggregated per key.
    t, v = pl.col("_ts"), pl.col("_value")
    aggs = [
        pl.len().alias("n"),
        t.null_count().alias("ts_null"),
        v.null_count().alias("value_null"),
        t.min().alias("ts_min"),
        t.max().alias("ts_max"),
        *_line_sums(t),
        v.min().alias("vmin"),
        v.max().alias("vmax"),
        v.sum().alias("vsum"),
    ]
    columns = [ts.alias("_ts"), value.alias("_value")]
    if text_ts:
        no_offset = ~pl.col("timestamp").str.strip_chars().str.contains(_OFFSET + "|Z$")
        columns.append(no_offset.alias("_naive"))
        aggs.append(pl.col("_naive").sum().alias("naive"))
    names = ["point_raw", "parameter_raw", "unit_raw"]
    raw_keys = [pl.col(c).cast(pl.String).alias(f"{c}_raw") for c in ("point", "parameter", "unit")]
    keys = (
        raw.with_row_index(_ROW)
        .select(*raw_keys, _ROW, *columns)
        .group_by(names)
        .agg(aggs)
        .collect(engine="streaming")
        .with_columns(
            pl.col(f"{c}_raw").str.strip_chars().alias(c) for c in ("point", "parameter", "unit")
        )
    )
    unit_list = keys["unit"].unique().to_list()
    bad_units = [u for u in unit_list if u is not None and not units.is_known(u)]
    bad = keys.filter(
        (pl.col("ts_null") > 0)
        | (pl.col("value_null") > 0)
        | (pl.col("point").fill_null("") == "")
        | (pl.col("parameter").fill_null("") == "")
        | pl.col("unit").is_null()
        | pl.col("unit").is_in(bad_units)
    )
    if bad.height:
        _reject_bad_rows(raw, frame)
    keys = _with_unique_ts(raw, ts, raw_keys, keys)
    if not text_ts:
        notes = _zone_notes(raw, timezone)
    else:
        naive = int(keys["naive"].sum())
        notes = (
            [f"{naive} timestamp(s) without an offset were read in {timezone}; all in UTC."]
            if naive
            else ["All timestamps carried an offset and were normalised to UTC."]
        )
    return Catalogue(raw, timezone, keys), notes


_ROW = "__jcm_row"
_SUMS = ("s_r", "s_rr", "s_f", "s_ff", "s_rf")


def _line_sums(ts: pl.Expr) -> list[pl.Expr]:
    """Exact integer sums of r, r², f, f², r·f per key, where r is the file row and f the UTC
    timestamp in whole seconds (Int128: no overflow below ~10^15 rows per key)."""
    r = pl.col(_ROW).cast(pl.Int128)
    f = ts.dt.epoch("s").cast(pl.Int128)
    return [
        r.sum().alias("s_r"),
        (r * r).sum().alias("s_rr"),
        f.sum().alias("s_f"),
        (f * f).sum().alias("s_ff"),
        (r * f).sum().alias("s_rf"),
    ]


def _on_a_line(n: int, s_r: int, s_rr: int, s_f: int, s_ff: int, s_rf: int) -> bool:
    """True when the key's timestamps are proven pairwise distinct: f is an exact affine,
    non-constant function of the (distinct) row numbers r. Cauchy–Schwarz holds with equality,
    (n·Σrf − Σr·Σf)² = (n·Σr² − (Σr)²)(n·Σf² − (Σf)²), exactly when the centred f is a multiple
    of the centred r; a non-zero covariance makes the multiple non-zero. Integers throughout:
    an exact proof, no probability. A key of one reading is trivially distinct."""
    if n <= 1:
        return True
    cov = n * s_rf - s_r * s_f
    return cov != 0 and cov * cov == (n * s_rr - s_r * s_r) * (n * s_ff - s_f * s_f)


def _with_unique_ts(
    raw: pl.LazyFrame, ts: pl.Expr, raw_keys: list[pl.Expr], keys: pl.DataFrame
) -> pl.DataFrame:
    """Add ``unique_ts`` (distinct UTC timestamps per raw key) to the key table.

    Keys whose readings are evenly spaced in file order (sorted by key then time, or by time
    then key, without gaps or repeats) are proven duplicate-free by :func:`_on_a_line` from the
    one-pass sums, so their count is ``n``. Only the other keys (outages, duplicates, shuffled
    files) are counted exactly, in a pass over their own points' rows.
    """
    proven = [
        None not in row and _on_a_line(*(int(v) for v in row))
        for row in keys.select("n", *_SUMS).iter_rows()
    ]
    keys = keys.drop(_SUMS).with_columns(
        unique_ts=pl.when(pl.Series(proven, dtype=pl.Boolean)).then(pl.col("n").cast(pl.UInt32))
    )
    open_keys = keys.filter(pl.col("unique_ts").is_null()).select(
        "point_raw", "parameter_raw", "unit_raw"
    )
    if open_keys.is_empty():
        return keys
    points = open_keys["point_raw"].unique().to_list()
    counted = (
        raw.filter(pl.col("point").cast(pl.String).is_in(points))
        .group_by(raw_keys)
        .agg(ts.to_physical().n_unique().cast(pl.UInt32).alias("counted"))
        .collect(engine="streaming")
    )
    names = ["point_raw", "parameter_raw", "unit_raw"]
    return (
        keys.join(counted, on=names, how="left", nulls_equal=True)
        .with_columns(pl.coalesce("unique_ts", "counted").alias("unique_ts"))
        .drop("counted")
    )


def _scan(path: Path) -> tuple[pl.LazyFrame, int]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return pl.scan_csv(path, infer_schema=False), 2
    if suffix == ".parquet":
        return pl.scan_parquet(path), 1
    if suffix in {".xlsx", ".xlsm"}:
        return _read_xlsx(path).lazy(), 2
    raise ImportRejected.of(
        [
            FieldProblem(
                "file",
                f"Unsupported file type '{suffix}' (use .csv, .xlsx or .parquet).",
                f"未対応のファイル形式 '{suffix}'（.csv / .xlsx / .parquet を使用）。",
            )
        ]
    )


def _cell(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def _read_xlsx(path: Path) -> pl.DataFrame:
    from openpyxl import load_workbook

    from jcm.uploads import check_zip

    content = path.read_bytes()
    check_zip(content)  # refuse a decompression bomb before openpyxl opens it
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise _unreadable(path, exc) from None
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
        columns: list[list[str | None]] = [[] for _ in header]
        for values in rows:
            for i in range(len(header)):
                columns[i].append(_cell(values[i]) if i < len(values) else None)
    finally:
        book.close()
    return pl.DataFrame(
        {h: c for h, c in zip(header, columns, strict=True) if h},
        schema={h: pl.String for h in header if h},
    )


def _require_columns(raw: pl.LazyFrame, first_row: int, path: Path) -> None:
    present = raw.collect_schema().names()
    header_row = 1 if first_row == 2 else None
    missing = [c for c in COLUMNS if c not in present]
    if missing:
        raise ImportRejected.of(
            [
                FieldProblem(
                    c,
                    f"Column '{c}' is missing from {path.name}.",
                    f"{path.name} に列 '{c}' がありません。",
                    row=header_row,
                )
                for c in missing
            ]
        )


def _timestamp(raw: pl.LazyFrame, timezone: str) -> pl.Expr:
    dtype = raw.collect_schema()["timestamp"]
    col = pl.col("timestamp")
    if isinstance(dtype, pl.Datetime):
        local = col.dt.cast_time_unit("us")
        if dtype.time_zone is None:
            local = local.dt.replace_time_zone(timezone, ambiguous="earliest", non_existent="null")
        return local.dt.convert_time_zone("UTC")
    text = col.cast(pl.String).str.strip_chars().str.replace("T", " ").str.replace(r"Z$", "+00:00")
    with_offset = pl.coalesce(
        text.str.to_datetime(f, strict=False, time_zone="UTC", time_unit="us")
        for f in ("%Y-%m-%d %H:%M:%S%.f%z", "%Y-%m-%d %H:%M%z")
    )
    naive = pl.coalesce(
        text.str.to_datetime(f, strict=False, time_unit="us")
        for f in ("%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M", "%Y-%m-%d")
    ).dt.replace_time_zone(timezone, ambiguous="earliest", non_existent="null")
    return (
        pl.when(text.str.contains(_OFFSET))
        .then(with_offset)
        .otherwise(naive.dt.convert_time_zone("UTC"))
    )


def _value(raw: pl.LazyFrame) -> pl.Expr:
    dtype = raw.collect_schema()["value"]
    col = pl.col("value")
    if dtype == pl.String:
        col = col.str.strip_chars().str.replace_all(",", "")
    return col.cast(VALUE_TYPE, strict=False)


def _normalise(raw: pl.LazyFrame, timezone: str, first_row: int) -> pl.LazyFrame:
    return raw.with_row_index("row", offset=first_row).select(
        pl.col("row").cast(pl.UInt64),
        pl.col("point").cast(pl.String).str.strip_chars(),
        pl.col("parameter").cast(pl.String).str.strip_chars(),
        _timestamp(raw, timezone).alias("ts"),
        _value(raw).alias("value"),
        pl.col("unit").cast(pl.String).str.strip_chars(),
    )


def _problem_rules(bad_units: list[str]) -> list[tuple[str, pl.Expr, str, str]]:
    return [
        (
            "timestamp",
            pl.col("ts").is_null(),
            "is empty or not a date-time",
            "が空か日時として読めません",
        ),
        ("point", pl.col("point").fill_null("") == "", "is empty", "が空です"),
        ("parameter", pl.col("parameter").fill_null("") == "", "is empty", "が空です"),
        (
            "value",
            pl.col("value").is_null(),
            "is empty or not a number",
            "が空か数値として読めません",
        ),
        (
            "unit",
            pl.col("unit").is_null() | pl.col("unit").is_in(bad_units),
            "is empty or an unknown unit",
            "が空か不明な単位です",
        ),
    ]


def _reject_bad_rows(raw: pl.LazyFrame, frame: pl.LazyFrame) -> None:
    unit_list = frame.select(pl.col("unit").unique()).collect()["unit"].to_list()
    bad_units = [u for u in unit_list if u is not None and not units.is_known(u)]
    rules = _problem_rules(bad_units)
    flagged = frame.with_row_index("_i").filter(pl.any_horizontal(r[1] for r in rules))
    bad = flagged.head(MAX_PROBLEMS).collect()
    if bad.is_empty():
        return
    raw_text = raw.select(pl.all().cast(pl.String)).with_row_index("_i")
    bad = bad.join(
        raw_text.join(bad.lazy().select("_i"), on="_i", how="semi").collect(),
        on="_i",
        how="left",
        suffix="_raw",
        maintain_order="left",
    )
    problems: list[FieldProblem] = []
    for record in bad.iter_rows(named=True):
        for column, _, en, ja in rules:
            if _breaks(column, record, bad_units):
                shown = record.get(f"{column}_raw", record.get(column))
                problems.append(
                    FieldProblem(
                        column,
                        f"Row {record['row']}, column '{column}': '{shown}' {en}.",
                        f"{record['row']} 行目の列 '{column}'：'{shown}' {ja}。",
                        row=record["row"],
                    )
                )
    raise ImportRejected.of(problems[:MAX_PROBLEMS])


def _breaks(column: str, record: dict[str, object], bad_units: list[str]) -> bool:
    if column == "timestamp":
        return record["ts"] is None
    if column == "unit":
        return record["unit"] is None or record["unit"] in bad_units
    return record[column] is None or record[column] == ""


def _zone_notes(raw: pl.LazyFrame, timezone: str) -> list[str]:
    dtype = raw.collect_schema()["timestamp"]
    if isinstance(dtype, pl.Datetime):
        zone = dtype.time_zone or f"{timezone} (declared; the column has no zone)"
        return [f"Timestamps typed in zone {zone}; normalised to UTC."]
    naive = (
        raw.select((~pl.col("timestamp").str.strip_chars().str.contains(_OFFSET + "|Z$")).sum())
        .collect()
        .item()
    )
    if naive:
        return [f"{naive} timestamp(s) without an offset were read in {timezone}; all in UTC."]
    return ["All timestamps carried an offset and were normalised to UTC."]
