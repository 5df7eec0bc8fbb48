"""gunicorn with docs/deploy/gunicorn.conf.py serves the app from the checkout (docs/deploy.md)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, deadline: float) -> tuple[int, str]:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_gunicorn_serves_the_login_page_with_the_deploy_config(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "TICKETS_CONFIG": "production",
        "SECRET_KEY": "secreto-de-prueba",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'mesatic.db'}",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "PROXY_FIX_X_FOR": "1",
    }
    log = (tmp_path / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        [str(GUNICORN), "-c", "docs/deploy/gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        status, page = _get(f"http://127.0.0.1:{port}/login", time.monotonic() + 60)
    finally:
        server.terminate()
        server.wait(30)
        log.close()
    output = (tmp_path / "gunicorn.log").read_text(errors="replace")

    assert status == 200 and "Iniciar sesión" in page, output
    assert output.count("Booting worker with pid") == 2, output
    assert '"GET /login HTTP/1.1" 200' in output  # the access log goes to the journal
