"""The container image and the compose file agree with the product: every JCM_ setting they
pass is a real setting, the server command is one `jcm serve` accepts, the image runs the
locked install as a non-root user and migrates before serving, the app waits for a healthy
PostgreSQL and Redis and is itself checked by /readyz, and data and backups live on
volumes. (The image is built where a container registry is reachable; this test keeps the
files honest where it is not.)"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from jcm.cli import app
from jcm.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text())
    return data


def _dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text()


def test_the_compose_file_runs_the_app_with_postgresql_and_redis() -> None:
    services = _compose()["services"]
    assert {"app", "postgres", "redis", "backup"} <= set(services)
    app_service = services["app"]
    assert app_service["depends_on"] == {
        "postgres": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }
    assert "/readyz" in " ".join(app_service["healthcheck"]["test"])
    assert {"data:/data", "backups:/backups"} <= set(app_service["volumes"])
    assert set(_compose()["volumes"]) >= {"data", "backups", "pgdata"}
    env = app_service["environment"]
    assert env["JCM_ENVIRONMENT"] == "production"
    assert env["JCM_DATABASE_URL"].startswith("postgresql+psycopg://jcm:")
    assert env["JCM_DATABASE_URL"].endswith("@postgres:5432/jcm")
    assert env["JCM_REDIS_URL"] == "redis://redis:6379/0"
    assert "${JCM_SECRET_KEY:?" in env["JCM_SECRET_KEY"]  # never a default secret
    postgres = services["postgres"]
    assert postgres["environment"]["POSTGRES_DB"] == "jcm"
    assert postgres["environment"]["POSTGRES_USER"] == "jcm"


def test_every_setting_passed_is_a_setting_the_product_reads() -> None:
    fields = {f"JCM_{name.upper()}" for name in Settings.model_fields}
    for name, service in _compose()["services"].items():
        passed = {k for k in service.get("environment", {}) if k.startswith("JCM_")}
        assert passed <= fields, f"{name}: {passed - fields}"
    in_image = set(re.findall(r"\b(JCM_[A-Z_]+)=", _dockerfile()))
    assert in_image <= fields


def test_the_server_command_is_one_the_cli_accepts() -> None:
    command = _compose()["services"]["app"]["command"]
    assert command[0] == "serve"
    help_text = CliRunner().invoke(app, ["serve", "--help"]).output
    for option in (c for c in command if c.startswith("--")):
        assert option in help_text, option
    cmd = re.search(r"^CMD \[(.*)\]$", _dockerfile(), re.M)
    assert cmd is not None
    assert [c.strip().strip('"') for c in cmd.group(1).split(",")] == command


def test_the_image_is_multi_stage_locked_non_root_and_migrates_before_serving() -> None:
    dockerfile = _dockerfile()
    assert len(re.findall(r"^FROM ", dockerfile, re.M)) >= 2
    assert "uv sync --frozen --no-dev" in dockerfile
    user = re.findall(r"^USER (\S+)$", dockerfile, re.M)
    assert user
    assert user[-1] not in {"root", "0"}
    assert "ENV PATH=/app/.venv/bin" in dockerfile
    assert "JCM_DATA_DIR=/data" in dockerfile
    # pg_dump of the same major version as the compose file's PostgreSQL, for backups
    major = _compose()["services"]["postgres"]["image"].split(":")[1].split(".")[0]
    assert f"postgresql-client-{major}" in dockerfile
    entrypoint = (ROOT / "docker" / "entrypoint.sh").read_text()
    assert entrypoint.index("jcm db upgrade") < entrypoint.index('exec jcm "$@"')
    assert (ROOT / "docker" / "entrypoint.sh").stat().st_mode & 0o111


def test_the_backup_service_writes_to_the_backups_volume() -> None:
    backup = _compose()["services"]["backup"]
    assert "jcm db backup --out /backups/" in " ".join(backup["entrypoint"])
    assert "backups:/backups" in backup["volumes"]
    assert backup["profiles"] == ["backup"]
