"""Command-line options that more than one feature's commands take."""

from __future__ import annotations

from typing import Annotated

import typer

EncodingOpt = Annotated[
    str,
    typer.Option(
        "--encoding",
        help="CSV text encoding: auto (UTF-8, else Shift_JIS/CP932), utf-8, utf-8-sig, "
        "cp932 or shift_jis.",
    ),
]
