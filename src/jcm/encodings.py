"""The text encoding of an uploaded CSV: UTF-8 (with or without a byte-order mark) or
Shift_JIS as Excel on a Japanese Windows PC writes it (CP932).

Detection is a strict fallback, no guessing: the file is read as UTF-8 (a leading BOM is
dropped); only if that fails is it read as CP932; if both fail the file is refused, naming
the byte and the row each reading stopped at. A person may name the encoding instead
(``encoding`` form field, ``--encoding`` option); then only that one is tried.

``shift_jis`` is read as CP932, the Windows form of Shift_JIS that every Japanese Excel writes:
plain Shift_JIS lacks characters such as ① and ㈱ that such files hold.

A file on disk is checked in chunks, without holding its text in memory; Polars reads UTF-8
only, so a CP932 file is transcoded for it to UTF-8 bytes in memory (uploads are size-limited).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from jcm.errors import FieldProblem, ImportRejected, ValidationFailed

AUTO = "auto"
#: What a person may choose; ``auto`` is the default.
CHOICES = (AUTO, "utf-8", "utf-8-sig", "cp932", "shift_jis")
#: How each choice is read: UTF-8 always drops a leading BOM; Shift_JIS is read as CP932.
_CODEC = {"utf-8": "utf-8-sig", "utf-8-sig": "utf-8-sig", "cp932": "cp932", "shift_jis": "cp932"}
_LABEL = {"utf-8-sig": "UTF-8", "cp932": "Shift_JIS (CP932)"}
BOM = codecs.BOM_UTF8
# Python's cp932 reads the lone bytes 0x80, 0xA0 and 0xFD-0xFF, which no Japanese program
# writes as text: a file holding them is not CP932.
_NOT_CP932_TEXT = re.compile("[\u0080\uf8f0-\uf8f3]")
CHUNK = 1 << 20


@dataclass(frozen=True)
class Decoded:
    """The text of a file and the encoding it was read in (``utf-8``, ``utf-8-sig`` when
    it began with a BOM, or ``cp932``)."""

    text: str
    encoding: str


def label(encoding: str | None) -> str:
    """The encoding as a person reads it: ``UTF-8``, ``UTF-8 (BOM)``, ``Shift_JIS (CP932)``."""
    return {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (BOM)", "cp932": "Shift_JIS (CP932)"}.get(
        encoding or "", encoding or "-"
    )


def choice(encoding: str | None) -> str:
    """The chosen encoding, normalised (``None`` and ``""`` are ``auto``); refuses others."""
    value = (encoding or AUTO).strip().lower().replace("_", "-")
    value = {"shift-jis": "shift_jis", "sjis": "shift_jis", "utf8": "utf-8"}.get(value, value)
    if value not in CHOICES:
        allowed = ", ".join(CHOICES)
        raise ValidationFailed.of(
            [
                FieldProblem(
                    "encoding",
                    f"Unknown encoding '{encoding}': use one of {allowed}.",
                    f"不明な文字コード「{encoding}」です。{allowed} のいずれかを指定してください。",
                )
            ]
        )
    return value


def decode(data: bytes, encoding: str | None = AUTO, *, name: str = "file") -> Decoded:
    """The text of ``data`` (a whole CSV); raises ``ImportRejected`` if it cannot be read."""
    found = detect([data], encoding, name=name)
    return Decoded(data.decode(_CODEC.get(found, found)), found)


def detect_file(path: Path, encoding: str | None = AUTO) -> str:
    """The encoding of the file at ``path``, read in chunks; raises ``ImportRejected``."""
    return detect(_ChunkSource(path), encoding, name=path.name)


def to_utf8(path: Path, encoding: str) -> bytes:
    """The file at ``path`` (in ``encoding``, as found by :func:`detect_file`) as UTF-8
    bytes without a BOM, decoded chunk by chunk: one UTF-8 copy is held, never the text."""
    decoder = codecs.getincrementaldecoder(_CODEC.get(encoding, encoding))("strict")
    out = bytearray()
    for chunk in _ChunkSource(path):
        out += decoder.decode(chunk).encode("utf-8")
    out += decoder.decode(b"", final=True).encode("utf-8")
    return bytes(out)


def detect(chunks: Iterable[bytes], encoding: str | None = AUTO, *, name: str = "file") -> str:
    """The encoding that reads every byte of ``chunks`` (re-iterable) strictly: ``utf-8``,
    ``utf-8-sig`` (UTF-8 beginning with a BOM) or ``cp932``; see the module docstring."""
    chosen = choice(encoding)
    codecs_to_try = ["utf-8-sig", "cp932"] if chosen == AUTO else [_CODEC[chosen]]
    failures: list[tuple[str, int]] = []
    for codec in codecs_to_try:
        # A BOM is valid UTF-8: check with the plain codec so offsets count it.
        bad = _first_bad_byte(chunks, "utf-8" if codec == "utf-8-sig" else codec)
        if bad is None:
            if codec == "utf-8-sig":
                return "utf-8-sig" if _starts_with_bom(chunks) else "utf-8"
            return codec
        failures.append((codec, bad))
    raise _refusal(name, chunks, failures)


class _ChunkSource:
    """A file's bytes, chunk by chunk, as often as asked."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __iter__(self) -> Iterator[bytes]:
        with self.path.open("rb") as fh:
            yield from iter(lambda: fh.read(CHUNK), b"")


def _starts_with_bom(chunks: Iterable[bytes]) -> bool:
    for chunk in chunks:
        return chunk.startswith(BOM)
    return False


def _first_bad_byte(chunks: Iterable[bytes], codec: str) -> int | None:
    """Offset of the first byte ``codec`` cannot read, or None if all are read."""
    decoder = codecs.getincrementaldecoder(codec)("strict")
    offset = 0
    for chunk in chunks:
        start = offset - len(decoder.getstate()[0])  # where the text decoded now begins
        try:
            text = decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            return start + exc.start
        odd = _NOT_CP932_TEXT.search(text) if codec == "cp932" else None
        if odd:
            return start + len(text[: odd.start()].encode(codec))
        offset += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        return offset - len(exc.object) + exc.start
    return None


def _row_of(chunks: Iterable[bytes], offset: int) -> int:
    """The line (1 = header) holding byte ``offset``; CRLF, LF and a bare CR end a line."""
    row, seen, last = 1, 0, 0
    for chunk in chunks:
        part = chunk[: max(offset - seen, 0)]
        crlf = part.count(b"\r\n") + (1 if last == 0x0D and part[:1] == b"\n" else 0)
        row += part.count(b"\n") + part.count(b"\r") - crlf
        if part:
            last = part[-1]
        seen += len(chunk)
        if seen >= offset:
            break
    return row


def _refusal(name: str, chunks: Iterable[bytes], failures: list[tuple[str, int]]) -> ImportRejected:
    where = [(_LABEL[codec], bad + 1, _row_of(chunks, bad)) for codec, bad in failures]
    en = "; ".join(f"not {what} at byte {n} (row {row})" for what, n, row in where)
    ja = "、".join(f"{row} 行目の {n} バイト目が {what} ではありません" for what, n, row in where)
    return ImportRejected.of(
        [
            FieldProblem(
                "file",
                f'{name} cannot be read as text: {en}. Save it as UTF-8 ("CSV UTF-8" in '
                "Excel) or Shift_JIS, or choose its encoding.",
                f"{name} を文字として読み取れません（{ja}）。UTF-8（Excel の「CSV UTF-8」）"
                "または Shift_JIS で保存するか、文字コードを指定してください。",
            )
        ]
    )
