"""One guard for every file a person or client sends, before any parser sees it.

Every upload — subsidy applications (API and page), MRV monitoring data (API and page),
project imports (CLI), and any future importer — goes through :func:`receive` (a stream,
from a web form) or :func:`read_file` (a path, from the command line):

* the type is one the importer reads (by suffix);
* the size is within ``JCM_MAX_UPLOAD_BYTES``, measured while the stream is read in 1 MiB
  chunks, so an oversized body is refused after at most the limit has been read — never
  read whole into memory (the web server itself spools a request body to a temporary file);
* an xlsx (a zip) has at most ``JCM_MAX_UPLOAD_ENTRIES`` entries, unpacks to at most
  ``JCM_MAX_UNPACKED_BYTES`` and compresses by at most ``JCM_MAX_UPLOAD_RATIO``, judged from
  the zip directory alone, so a decompression bomb is never opened;
* a Parquet file has at most ``JCM_MAX_PARQUET_ROWS`` rows, read from its footer.

A refusal is ``ImportRejected`` on the field ``file``, naming the limit in English and
Japanese; nothing has been written when it is raised.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from jcm.errors import FieldProblem, ImportRejected

if TYPE_CHECKING:
    from jcm.settings import Settings

MAX_BYTES = 50 * 1024 * 1024
MAX_UNPACKED = 200 * 1024 * 1024
MAX_RATIO = 100
MAX_ENTRIES = 2000
MAX_PARQUET_ROWS = 50_000_000
ZIP_TYPES = frozenset({".xlsx", ".xlsm"})
PARQUET_TYPES = frozenset({".parquet"})
CHUNK = 1 << 20


@dataclass(frozen=True)
class UploadLimits:
    """The bounds an upload must stay within (from settings; the defaults are the settings')."""

    max_bytes: int = MAX_BYTES
    max_unpacked: int = MAX_UNPACKED
    max_ratio: int = MAX_RATIO
    max_entries: int = MAX_ENTRIES
    max_parquet_rows: int = MAX_PARQUET_ROWS

    @classmethod
    def of(cls, settings: Settings) -> UploadLimits:
        return cls(
            max_bytes=settings.max_upload_bytes,
            max_unpacked=settings.max_unpacked_bytes,
            max_ratio=settings.max_upload_ratio,
            max_entries=settings.max_upload_entries,
            max_parquet_rows=settings.max_parquet_rows,
        )


DEFAULT_LIMITS = UploadLimits()


def size_text(n: int) -> str:
    """A byte count as people read a limit: ``50 MB``, ``2 GB``, ``512 KB``."""
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= size:
            value = n / size
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} B"


def _refuse(en: str, ja: str) -> ImportRejected:
    return ImportRejected.of([FieldProblem("file", en, ja)])


def check_type(name: str, allowed: frozenset[str]) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in allowed:
        kinds = ", ".join(sorted(allowed))
        raise _refuse(
            f"'{Path(name).name}' is not of a type this import reads: upload a {kinds} file.",
            f"「{Path(name).name}」は取り込めない形式です。{kinds} ファイルをアップロードしてください。",
        )
    return suffix


def _too_large(limits: UploadLimits) -> ImportRejected:
    limit = size_text(limits.max_bytes)
    return _refuse(
        f"The file is larger than the upload limit of {limit}.",
        f"ファイルがアップロードの上限（{limit}）を超えています。",
    )


def receive(
    name: str, stream: BinaryIO, allowed: frozenset[str], limits: UploadLimits = DEFAULT_LIMITS
) -> bytes:
    """The uploaded bytes, read in chunks and refused as soon as they pass the size limit,
    then checked as :func:`check_upload` does."""
    check_type(name, allowed)
    buffer = bytearray()
    while chunk := stream.read(CHUNK):
        buffer += chunk
        if len(buffer) > limits.max_bytes:
            raise _too_large(limits)
    data = bytes(buffer)
    check_upload(name, data, allowed, limits)
    return data


def read_file(path: Path, allowed: frozenset[str], limits: UploadLimits = DEFAULT_LIMITS) -> bytes:
    """A file named on the command line, refused by its size before it is read."""
    check_type(path.name, allowed)
    if path.stat().st_size > limits.max_bytes:
        raise _too_large(limits)
    with path.open("rb") as fh:
        return receive(path.name, fh, allowed, limits)


def check_upload(
    name: str, data: bytes, allowed: frozenset[str], limits: UploadLimits = DEFAULT_LIMITS
) -> None:
    """Raise ``ImportRejected`` unless the bytes are of an allowed type and safely small."""
    suffix = check_type(name, allowed)
    if len(data) > limits.max_bytes:
        raise _too_large(limits)
    if not data:
        raise _refuse("The file is empty.", "ファイルが空です。")
    if suffix in ZIP_TYPES:
        check_zip(data, limits)
    if suffix in PARQUET_TYPES:
        check_parquet(data, limits)


def check_zip(data: bytes, limits: UploadLimits = DEFAULT_LIMITS) -> None:
    """Refuse a damaged workbook or one that would unpack to too much, from its directory."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            entries = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _refuse(
            "The workbook is damaged (it is not a valid xlsx file).",
            "ワークブックが破損しています（有効な xlsx ファイルではありません）。",
        ) from exc
    if len(entries) > limits.max_entries:
        raise _refuse(
            f"The workbook has more than {limits.max_entries:,} parts.",
            f"ワークブックの構成要素が上限（{limits.max_entries:,}）を超えています。",
        )
    unpacked = sum(e.file_size for e in entries)
    packed = sum(e.compress_size for e in entries) or 1
    if unpacked > limits.max_unpacked:
        limit = size_text(limits.max_unpacked)
        raise _refuse(
            f"The workbook unpacks to more than the limit of {limit}.",
            f"ワークブックの展開後のサイズが上限（{limit}）を超えています。",
        )
    if unpacked / packed > limits.max_ratio:
        raise _refuse(
            f"The workbook is compressed more than {limits.max_ratio}:1, "
            "as a decompression bomb is; it was not opened.",
            f"ワークブックの圧縮率が上限（{limits.max_ratio}:1）を超えているため、開いていません。",
        )


def check_parquet(data: bytes, limits: UploadLimits = DEFAULT_LIMITS) -> None:
    """Refuse a damaged Parquet file or one with too many rows, from its footer alone."""
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(io.BytesIO(data)).metadata
    except Exception as exc:  # pyarrow raises several types for a damaged footer
        raise _refuse(
            "The Parquet file is damaged (its footer cannot be read).",
            "Parquet ファイルが破損しています（フッターを読み込めません）。",
        ) from exc
    if meta.num_rows > limits.max_parquet_rows:
        raise _refuse(
            f"The Parquet file has {meta.num_rows:,} rows, more than the limit of "
            f"{limits.max_parquet_rows:,}.",
            f"Parquet ファイルの行数（{meta.num_rows:,}）が上限（{limits.max_parquet_rows:,}）を超えています。",
        )
