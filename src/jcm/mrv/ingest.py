"""Monitoring-data ingest: CSV, Excel or Parquet in long format, normalised column-wise.

Every file has the columns ``timestamp, point, parameter, value, unit``. Rows are numbered as
a person sees them: in CSV and Excel the header is row 1, so the first reading is row 2; in
Parquet the first record is row 1. Timestamps with an offset are converted to UTC; naive ones
are read in the declared time zone. A bad file raises :class:`ImportRejected` naming each bad
row and column, and nothing is returned.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import polars as pl

from jcm import encodings
from jcm.encodings import AUTO
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
    #: The text encoding a CSV was read in (``utf-8``, ``utf-8-sig``, ``cp932``), else None.
    encoding: str | None = None


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


def read_monitoring_file(
    path: Path, timezone: str = "UTC", encoding: str | None = AUTO
) -> MonitoringData:
    """Read, validate and normalise one monitoring-data file (.csv, .xlsx or .parquet).

    A CSV is read as UTF-8 (with or without BOM) or else Shift_JIS/CP932, unless ``encoding``
    names one (:mod:`jcm.encodings`); CP932 is transcoded to UTF-8 in memory for Polars.
    A file the readers cannot parse (damaged, empty, not text, wrong type inside) is refused
    with ``ImportRejected``, like a file with bad rows.
    """
    chosen = encodings.choice(encoding)
    # The fingerprint is computed on a thread while Polars reads the file (hashlib releases the
    # GIL); it is only used once the file has passed.
    with ThreadPoolExecutor(max_workers=1) as pool:
        digest = pool.submit(sha256_of, path)
        try:
            raw, first_row, found = _scan(path, chosen)
            _require_columns(raw, first_row, path)
            frame = _normalise(raw, timezone, first_row)
            catalogue, notes = _checked_catalogue(raw, frame, timezone)
        except pl.exceptions.PolarsError as exc:
            raise _unreadable(path, exc) from None
        return MonitoringData(path.name, digest.result(), frame, notes, catalogue, found)


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
    head = _read_head(raw, ts)
    step = head.step
    # Each reading is normalised once (UTC timestamp, Decimal value), then aggregated per key.
    t, v = pl.col("_ts"), pl.col("_value")
    aggs = [
        pl.len().alias("n"),
        (t.is_null() | v.is_null()).sum().alias("unreadable"),
        t.min().alias("ts_min"),
        t.max().alias("ts_max"),
        *(_line_sums(t) if step is None else _step_range(t, step)),
        v.min().alias("vmin"),
        v.max().alias("vmax"),
        v.sum().alias("vsum"),
    ]
    columns = [ts.alias("_ts"), value.alias("_value")]
    if text_ts:
        no_offset = ~pl.col("timestamp").str.strip_chars().str.contains(_OFFSET + "|Z$")
        columns.append(no_offset.alias("_naive"))
        aggs.append(pl.col("_naive").sum().alias("naive"))
    raw_keys = [pl.col(c).cast(pl.String).alias(f"{c}_raw") for c in ("point", "parameter", "unit")]
    keys = _key_table(raw, raw_keys, columns, aggs, head.pairs).with_columns(
        pl.col(f"{c}_raw").str.strip_chars().alias(c) for c in ("point", "parameter", "unit")
    )
    unit_list = keys["unit"].unique().to_list()
    bad_units = [u for u in unit_list if u is not None and not units.is_known(u)]
    bad = keys.filter(
        (pl.col("unreadable") > 0)
        | (pl.col("point").fill_null("") == "")
        | (pl.col("parameter").fill_null("") == "")
        | pl.col("unit").is_null()
        | pl.col("unit").is_in(bad_units)
    )
    if bad.height:
        _reject_bad_rows(raw, frame)
    keys = _with_unique_ts(raw, ts, raw_keys, keys, step)
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
_STEP_RANGE = ("h_min", "h_max")
_HEAD = 1 << 17
_MAX_PAIRS = 16
_WRAP = 1 << 63


@dataclass(frozen=True)
class Step:
    """The file's pace, read from its head: the first key's second reading comes ``rows`` rows
    and ``micros`` microseconds after its first."""

    rows: int
    micros: int


@dataclass(frozen=True)
class _Head:
    """What the file's first rows show: its pace and its (parameter, unit) pairs as written."""

    step: Step | None
    pairs: list[tuple[str | None, str | None]]


def _read_head(raw: pl.LazyFrame, ts: pl.Expr) -> _Head:
    """The pace of the file's first key and the (parameter, unit) pairs in its first rows."""
    head = (
        raw.head(_HEAD)
        .with_row_index(_ROW)
        .select(
            pl.col("point").cast(pl.String),
            pl.col("parameter").cast(pl.String),
            pl.col("unit").cast(pl.String),
            _ROW,
            ts.to_physical().alias("_f"),
        )
        .collect()
    )
    pairs = [(p, u) for p, u in head.select("parameter", "unit").unique(maintain_order=True).rows()]
    if head.height < 2:
        return _Head(None, pairs)
    first = head.row(0, named=True)
    same = head.filter(
        pl.col("point").eq_missing(first["point"])
        & pl.col("parameter").eq_missing(first["parameter"])
        & pl.col("unit").eq_missing(first["unit"])
    ).head(2)
    if same.height < 2 or None in same["_f"].to_list():
        return _Head(None, pairs)
    rows = int(same[_ROW][1]) - int(same[_ROW][0])
    micros = int(same["_f"][1]) - int(same["_f"][0])
    return _Head(Step(rows, micros) if micros else None, pairs)


def _key_table(
    raw: pl.LazyFrame,
    raw_keys: list[pl.Expr],
    columns: list[pl.Expr],
    aggs: list[pl.Expr],
    pairs: list[tuple[str | None, str | None]],
) -> pl.DataFrame:
    """The per-key aggregates, one row per raw (point, parameter, unit) key.

    When the head shows few (parameter, unit) pairs, rows are grouped by the point and the
    index of their pair (exact string comparisons; one string to hash instead of three). Only
    if some row's pair is not among them is the file grouped again by the three strings.
    """
    names = ["point_raw", "parameter_raw", "unit_raw"]
    base = raw.with_row_index(_ROW)
    if 0 < len(pairs) <= _MAX_PAIRS:
        parameter, unit = pl.col("parameter").cast(pl.String), pl.col("unit").cast(pl.String)
        code: pl.Expr = pl.lit(None, pl.UInt8)
        for i, (p, u) in reversed(list(enumerate(pairs))):
            match = parameter.eq_missing(pl.lit(p, pl.String)) & unit.eq_missing(
                pl.lit(u, pl.String)
            )
            code = pl.when(match).then(pl.lit(i, pl.UInt8)).otherwise(code)
        coded = (
            base.select(raw_keys[0], code.alias("_pair"), _ROW, *columns)
            .group_by("point_raw", "_pair")
            .agg(aggs)
            .collect(engine="streaming")
        )
        if coded["_pair"].null_count() == 0:
            table = pl.DataFrame(
                [(i, p, u) for i, (p, u) in enumerate(pairs)],
                schema={"_pair": pl.UInt8, "parameter_raw": pl.String, "unit_raw": pl.String},
                orient="row",
            )
            return coded.join(table, on="_pair", how="left").select(
                *names, pl.exclude(*names, "_pair")
            )
    return (
        base.select(*raw_keys, _ROW, *columns).group_by(names).agg(aggs).collect(engine="streaming")
    )


def _step_range(ts: pl.Expr, step: Step) -> list[pl.Expr]:
    """Smallest and largest h = rows·f − micros·r per key, where r is the file row and f the UTC
    timestamp in microseconds, in wrapping Int64 arithmetic (see :func:`_on_the_step`)."""
    h = pl.lit(step.rows, pl.Int64) * ts.to_physical() - pl.lit(step.micros, pl.Int64) * pl.col(
        _ROW
    ).cast(pl.Int64)
    return [h.min().alias("h_min"), h.max().alias("h_max")]


def _on_the_step(n: int, h_min: int, h_max: int, micros: int, rows_in_file: int) -> bool:
    """True when the key's timestamps are proven pairwise distinct: h = a·f − b·r is the same on
    every reading (a, b the file's pace, a > 0, b ≠ 0). Two readings of one key with equal f
    would then give b·(r₁ − r₂) ≡ 0 modulo 2⁶⁴, impossible for distinct rows when
    |b|·(rows in file) < 2⁶³: so wrapping in the Int64 products cannot fake a proof. A key of
    one reading is trivially distinct."""
    if n <= 1:
        return True
    return micros != 0 and abs(micros) * rows_in_file < _WRAP and h_min == h_max


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


def _proven(keys: pl.DataFrame, step: Step | None) -> list[bool]:
    """Per key: whether the one-pass figures prove its timestamps pairwise distinct."""
    if step is None:
        return [
            None not in row and _on_a_line(*(int(v) for v in row))
            for row in keys.select("n", *_SUMS).iter_rows()
        ]
    rows_in_file = int(keys["n"].sum())
    return [
        None not in (n, lo, hi)
        and _on_the_step(int(n), int(lo), int(hi), step.micros, rows_in_file)
        for n, lo, hi in keys.select("n", *_STEP_RANGE).iter_rows()
    ]


def _with_unique_ts(
    raw: pl.LazyFrame,
    ts: pl.Expr,
    raw_keys: list[pl.Expr],
    keys: pl.DataFrame,
    step: Step | None,
) -> pl.DataFrame:
    """Add ``unique_ts`` (distinct UTC timestamps per raw key) to the key table.

    Keys whose readings keep the file's pace (evenly spaced in file order, sorted by key then
    time or by time then key, without gaps or repeats) are proven duplicate-free from the
    one-pass figures (:func:`_on_the_step`, or :func:`_on_a_line` when the head shows no pace),
    so their count is ``n``. Only the other keys (outages, duplicates, shuffled files) are
    counted exactly, in a pass over their own points' rows.
    """
    proven = _proven(keys, step)
    keys = keys.drop(_SUMS if step is None else _STEP_RANGE).with_columns(
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


def _scan(path: Path, encoding: str) -> tuple[pl.LazyFrame, int, str | None]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        found = encodings.detect_file(path, encoding)
        if found == "cp932":  # Polars reads UTF-8 only
            return pl.scan_csv(encodings.to_utf8(path, found), infer_schema=False), 2, found
        return pl.scan_csv(path, infer_schema=False), 2, found  # Polars drops a BOM
    if suffix == ".parquet":
        return pl.scan_parquet(path), 1, None
    if suffix in {".xlsx", ".xlsm"}:
        return _read_xlsx(path).lazy(), 2, None
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


_KINDS = {
    "timestamp": ("date-times or text", "日時または文字列"),
    "value": ("numbers or text", "数値または文字列"),
}
_TEXT_KIND = ("text or whole numbers", "文字列または整数")


def _kind_ok(column: str, dtype: pl.DataType) -> bool:
    """Whether a typed file's (Parquet's) column holds what the reader can normalise."""
    if dtype == pl.String or isinstance(dtype, pl.Categorical | pl.Enum) or dtype == pl.Null:
        return True
    if column == "timestamp":
        return isinstance(dtype, pl.Datetime) or dtype == pl.Date
    if column == "value":
        return dtype.is_numeric() and dtype != pl.Boolean
    return dtype.is_integer()


def _wrong_kinds(schema: pl.Schema, path: Path) -> list[FieldProblem]:
    problems = []
    for column in COLUMNS:
        dtype = schema.get(column)
        if dtype is None or _kind_ok(column, dtype):
            continue
        en, ja = _KINDS.get(column, _TEXT_KIND)
        problems.append(
            FieldProblem(
                column,
                f"Column '{column}' of {path.name} holds {dtype} values; it must hold {en}.",
                f"{path.name} の列 '{column}' の型は {dtype} です。{ja}である必要があります。",
            )
        )
    return problems


def _require_columns(raw: pl.LazyFrame, first_row: int, path: Path) -> None:
    schema = raw.collect_schema()
    present = schema.names()
    header_row = 1 if first_row == 2 else None
    wrong = _wrong_kinds(schema, path)
    if wrong:
        raise ImportRejected.of(wrong)
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
