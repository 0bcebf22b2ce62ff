"""A command on a database that is new, behind the migrations or unreachable says so in one
line per language, names the command that fixes it, and exits 2 — no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory

from jcm.migrate import alembic_config
from jcm.runtime import HEADS

JCM = str(Path(sys.executable).with_name("jcm"))


def _run(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "JCM_DATABASE_URL": url, "COLUMNS": "80"}
    return subprocess.run(
        [JCM, *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_a_new_database_file_asks_for_the_upgrade(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    done = _run(url, "projects", "list")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("error: ")
    assert "run `jcm db upgrade`" in lines[0]
    assert "`jcm db upgrade` を実行してください" in lines[1]
    assert "Traceback" not in done.stderr
    assert _run(url, "db", "upgrade").returncode == 0
    assert _run(url, "projects", "list", "--json").returncode == 0


def test_an_unreachable_server_is_named_in_one_line(tmp_path: Path) -> None:
    done = _run("postgresql+psycopg://postgres@127.0.0.1:1/nowhere", "projects", "list")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 2
    assert "cannot be reached" in lines[0]
    assert "接続できません" in lines[1]
    debug = _run("postgresql+psycopg://postgres@127.0.0.1:1/nowhere", "--debug", "projects", "list")
    assert debug.returncode != 0
    assert "Traceback" in debug.stderr


def test_a_database_behind_the_migrations_asks_for_the_upgrade(tmp_path: Path) -> None:
    from jcm.db import Database, make_engine
    from jcm.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'old.db'}"
    db = Database(make_engine(url))
    upgrade(db.engine, "0011")
    db.dispose()
    done = _run(url, "projects", "list")
    assert done.returncode == 2
    assert "behind the migrations" in done.stderr
    assert "jcm db upgrade" in done.stderr


def test_the_head_the_check_expects_is_the_newest_migration() -> None:
    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert set(scripts.get_heads()) == HEADS
