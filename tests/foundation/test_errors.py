"""ImportRejected messages: row-level problems list their rows; file-level ones say what."""

from __future__ import annotations

from jcm.errors import FieldProblem, ImportRejected


def test_rows_are_listed_when_problems_have_rows() -> None:
    err = ImportRejected.of(
        [
            FieldProblem("ref", "Missing.", "ありません。", row=4),
            FieldProblem("title_en", "Too long.", "長すぎます。", row=2),
        ]
    )
    assert err.message_en == (
        "The file was not imported: 2 problem(s) in row(s) 2, 4. Nothing was written."
    )
    assert "行 2, 4 に 2 件の問題" in err.message_ja


def test_file_level_problem_says_what_is_wrong_without_an_empty_row_list() -> None:
    err = ImportRejected.of(
        [FieldProblem("file", "The CSV is not UTF-8 text.", "CSVがUTF-8ではありません。")]
    )
    assert err.message_en == (
        "The file was not imported: The CSV is not UTF-8 text. Nothing was written."
    )
    assert err.message_ja == (
        "ファイルは取り込まれませんでした。CSVがUTF-8ではありません。何も書き込まれていません。"
    )
    assert "row(s)" not in err.message_en
    assert "行  に" not in err.message_ja
    assert err.as_dict()["errors"][0]["field"] == "file"


def test_several_file_level_problems_count_the_rest() -> None:
    err = ImportRejected.of(
        [
            FieldProblem("file", "Bad header.", "見出しが不正です。"),
            FieldProblem("file", "Bad footer.", "末尾が不正です。"),
        ]
    )
    assert (
        err.message_en == "The file was not imported: Bad header (and 1 more). Nothing was written."
    )
    assert "（他 1 件）" in err.message_ja
