"""CSV text encodings: UTF-8 (with or without BOM) or CP932, found strictly or chosen."""

from __future__ import annotations

from pathlib import Path

import pytest

from jcm import encodings
from jcm.errors import ImportRejected, ValidationFailed

TEXT = "ref,title\r\nA1,全角ＡＢＣ①㈱\r\nA2,ｶﾀｶﾅ・髙﨑\r\n"


@pytest.mark.parametrize(
    ("data", "found"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (encodings.BOM + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("cp932"), "cp932"),
    ],
)
def test_the_encoding_is_found_and_the_text_read(data: bytes, found: str) -> None:
    decoded = encodings.decode(data)
    assert decoded.encoding == found
    assert decoded.text == TEXT  # the BOM is dropped


def test_a_chosen_encoding_is_the_only_one_tried() -> None:
    cp932 = TEXT.encode("cp932")
    assert encodings.decode(cp932, "cp932").text == TEXT
    assert encodings.decode(cp932, "Shift_JIS").encoding == "cp932"  # ① is read, as in Excel
    with pytest.raises(ImportRejected) as refused:
        encodings.decode(cp932, "utf-8", name="apps.csv")
    assert "apps.csv" in refused.value.message_en
    assert "not UTF-8 at byte 15 (row 2)" in refused.value.message_en
    assert "Shift_JIS" not in refused.value.message_en.split("Save")[0]
    assert encodings.decode(encodings.BOM + b"a\r\n", "utf-8").text == "a\r\n"


def test_bytes_that_are_neither_are_refused_in_both_languages_naming_file_row_and_byte() -> None:
    data = TEXT.encode("cp932") + b"A3,\x81\x20\r\n"
    with pytest.raises(ImportRejected) as refused:
        encodings.decode(data, name="projects.csv")
    err = refused.value
    assert err.message_en.startswith("The file was not imported: projects.csv cannot be read")
    assert "not UTF-8 at byte 15 (row 2)" in err.message_en
    assert f"not Shift_JIS (CP932) at byte {len(TEXT.encode('cp932')) + 4} (row 4)" in (
        err.message_en
    )
    assert "projects.csv を文字として読み取れません" in err.message_ja
    assert "4 行目" in err.message_ja
    assert "row(s)" not in err.message_en


@pytest.mark.parametrize("odd", [b"\x80", b"\xa0", b"\xfd", b"\xff"])
def test_lone_bytes_no_japanese_program_writes_are_not_cp932(odd: bytes) -> None:
    with pytest.raises(ImportRejected):
        encodings.decode(b"a,b\r\n1," + odd + b"\r\n")


def test_an_unknown_encoding_is_refused_naming_the_field() -> None:
    with pytest.raises(ValidationFailed) as refused:
        encodings.choice("latin-1")
    assert refused.value.field == "encoding"
    assert encodings.choice(None) == encodings.choice("") == "auto"
    assert encodings.choice("SJIS") == "shift_jis"


def test_a_file_is_checked_and_transcoded_in_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(encodings, "CHUNK", 5)  # every character may straddle two chunks
    path = tmp_path / "m.csv"
    path.write_bytes(TEXT.encode("cp932") * 3)
    assert encodings.detect_file(path) == "cp932"
    assert encodings.to_utf8(path, "cp932") == (TEXT * 3).encode("utf-8")
    path.write_bytes(encodings.BOM + TEXT.encode("utf-8"))
    assert encodings.detect_file(path) == "utf-8-sig"
    path.write_bytes(TEXT.encode("cp932") + b"\r\n\xff")
    with pytest.raises(ImportRejected) as refused:
        encodings.detect_file(path)
    assert "(row 5)" in refused.value.message_en
