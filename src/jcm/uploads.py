"""One guard for every uploaded file, before any parser sees it: size, type, and for
xlsx (a zip) the unpacked size, entry count and compression ratio, so a decompression
bomb is refused from the zip directory alone."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from jcm.errors import FieldProblem, ImportRejected

MAX_BYTES = 50 * 1024 * 1024
MAX_UNPACKED = 200 * 1024 * 1024
MAX_RATIO = 100
MAX_ENTRIES = 2000
ZIP_TYPES = frozenset({".xlsx", ".xlsm"})


def _refuse(en: str, ja: str) -> ImportRejected:
    return ImportRejected.of([FieldProblem("file", en, ja)])


def check_upload(
    name: str,
    data: bytes,
    allowed: frozenset[str],
    *,
    max_bytes: int = MAX_BYTES,
    max_unpacked: int = MAX_UNPACKED,
    max_ratio: int = MAX_RATIO,
) -> None:
    """Raise ``ImportRejected`` unless the file is of an allowed type and safely small."""
    suffix = Path(name).suffix.lower()
    if suffix not in allowed:
        kinds = ", ".join(sorted(allowed))
        raise _refuse(f"Upload a {kinds} file.", f"{kinds} ファイルをアップロードしてください。")
    if len(data) > max_bytes:
        raise _refuse("The file is too large.", "ファイルが大きすぎます。")
    if suffix in ZIP_TYPES:
        check_zip(data, max_unpacked=max_unpacked, max_ratio=max_ratio)


def check_zip(data: bytes, *, max_unpacked: int = MAX_UNPACKED, max_ratio: int = MAX_RATIO) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            entries = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _refuse("The workbook is damaged.", "ワークブックが破損しています。") from exc
    unpacked = sum(e.file_size for e in entries)
    packed = sum(e.compress_size for e in entries) or 1
    if len(entries) > MAX_ENTRIES or unpacked > max_unpacked or unpacked / packed > max_ratio:
        raise _refuse(
            "The workbook unpacks to too much data.",
            "ワークブックの展開後のサイズが大きすぎます。",
        )
