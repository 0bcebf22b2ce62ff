"""docs/operations.md keeps up with the product: every setting in its table with the
default the code has, and every command it tells an operator to run exists."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from jcm.cli import app
from jcm.settings import Settings

DOC = Path(__file__).resolve().parents[2] / "docs" / "operations.md"


def _table() -> dict[str, str]:
    rows = re.findall(r"^\| `(JCM_[A-Z_]+)` \| `?([^|`]*)`? \|", DOC.read_text(), re.M)
    return {name: default.strip() for name, default in rows}


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return "empty" if value == "" else str(value)


def test_every_setting_has_a_row_with_its_default() -> None:
    table = _table()
    expected = {
        f"JCM_{name.upper()}": _shown(field.default)
        for name, field in Settings.model_fields.items()
    }
    assert table == expected


def test_every_command_the_page_names_exists() -> None:
    commands = set(re.findall(r"(?:`|^|bin/)jcm ((?:[a-z]+)(?: [a-z]+)?)", DOC.read_text(), re.M))
    assert {"db upgrade", "db backup", "db restore", "serve", "registry verify"} <= commands
    for command in sorted(commands):
        words = command.split()
        result = CliRunner().invoke(app, [*words, "--help"])
        if result.exit_code != 0 and len(words) == 2:
            result = CliRunner().invoke(app, [words[0], "--help"])  # "serve --workers" etc.
        assert result.exit_code == 0, f"jcm {command}: {result.output}"
