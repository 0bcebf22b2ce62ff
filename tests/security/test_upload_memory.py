"""A real server process, sent what the outside probe sent: a 200 MB CSV (declared and
streamed) and an xlsx bomb that unpacks to 1 GiB. Each is refused, nothing is written, and
the server's peak resident memory stays under 500 MB."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from jcm import audit
from jcm.auth.rules import Role
from jcm.auth.service import create_token, create_user
from jcm.db import Database, make_engine
from jcm.migrate import upgrade
from jcm.reference.service import sync_reference_data

pytestmark = pytest.mark.slow
LIMIT_BYTES = 500 * 1024 * 1024
MB = 1 << 20


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _peak_rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str], int]]:
    path = tmp_path_factory.mktemp("mem") / "jcm.db"
    url = f"sqlite:///{path}"
    db = Database(make_engine(url))
    upgrade(db.engine)
    with db.write() as s:
        sync_reference_data(s)
        create_user(
            s, audit.SYSTEM, username="staff", password="long-enough-pw-1", role=Role.SECRETARIAT
        )
        token = create_token(s, audit.SYSTEM, "staff", "memory")
    db.dispose()
    port = _port()
    env = {**os.environ, "JCM_DATABASE_URL": url, "JCM_ENVIRONMENT": "test"}
    jcm = Path(sys.executable).with_name("jcm")
    proc = subprocess.Popen(
        [str(jcm), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(f"{base}/api/v1/projects", timeout=2)
            break
        except httpx.TransportError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise RuntimeError("the server did not start") from None
            time.sleep(0.2)
    try:
        yield base, {"Authorization": f"Bearer {token}"}, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def _bomb() -> bytes:
    """A workbook-shaped zip, about 1 MB, whose one sheet unpacks to 1 GiB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            block = b"\0" * (8 * MB)
            for _ in range(128):
                sheet.write(block)
    return out.getvalue()


def _multipart(boundary: str, name: str, size: int) -> Iterator[bytes]:
    yield (
        f'--{boundary}\r\nContent-Disposition: form-data; name="representative"\r\n\r\n'
        f'Example K.K.\r\n--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="{name}"\r\nContent-Type: text/csv\r\n\r\n'
    ).encode()
    row = b"APP-1,THA,solar_pv_rooftop,JPN,400000000,120000000,2000,60000000,18\n"
    sent = 0
    chunk = row * (MB // len(row))
    while sent < size:
        yield chunk
        sent += len(chunk)
    yield f"\r\n--{boundary}--\r\n".encode()


def test_a_200_mb_csv_and_a_1_gib_bomb_are_refused_within_500_mb(
    server: tuple[str, dict[str, str], int],
) -> None:
    base, auth, pid = server
    url = f"{base}/api/v1/subsidy/imports"
    boundary = "jcmboundary"
    kind = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    with httpx.Client(timeout=120) as c:
        # Streamed without a length: counted as it arrives and cut off at the limit.
        try:
            streamed = c.post(
                url, headers={**auth, **kind}, content=_multipart(boundary, "a.csv", 200 * MB)
            )
            assert streamed.status_code == 413
        except httpx.TransportError:
            pass  # the server may close the connection once it has answered 413
        # Declared length: refused before a byte of the body is read.
        body = b"".join(_multipart(boundary, "a.csv", 200 * MB))
        declared = c.post(url, headers={**auth, **kind}, content=body)
        assert declared.status_code == 413
        del body
        bomb = _bomb()
        assert len(bomb) < 2 * MB
        refused = c.post(
            url,
            headers=auth,
            data={"representative": "Example K.K."},
            files={"file": ("apps.xlsx", bomb, "application/octet-stream")},
        )
        assert refused.status_code == 422
        assert refused.json()["errors"][0]["field"] == "file"
        assert c.get(f"{base}/api/v1/subsidy/applications", headers=auth).json() == []
    peak = _peak_rss(pid)
    assert peak < LIMIT_BYTES, f"peak RSS {peak // MB} MB"
