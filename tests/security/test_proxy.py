"""The reverse proxy the README shows, as `docs/nginx.conf` has it (only its paths and
ports replaced): Slack's signed requests reach the bot through it over TLS and are
answered, /metrics does not, and an idle connection to the proxy is closed within its
timeout."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from models.db import Database
from simulator.web_api import FakeSlack
from tests.conftest import DIRECTOR, FORBID_SKIPS, GORE, LISA, SIGNING_SECRET
from tests.harness.processes import free_port, kill_service, run_bot, wait_healthy
from tests.harness.slack_requests import Slack

CONFIG = Path(__file__).parents[2] / "docs" / "nginx.conf"


def _nginx(tmp_path: Path, *, listen: int, upstream: int) -> subprocess.Popen[bytes]:
    if shutil.which("nginx") is None:
        message = "nginx is not installed (Debian: nginx-light)"
        if FORBID_SKIPS:
            pytest.fail(message)
        pytest.skip(message)
    tmp_path.mkdir()
    key, cert = tmp_path / "proxy.key", tmp_path / "proxy.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    config = (
        CONFIG.read_text()
        .replace("pid /run/nginx.pid;", f"pid {tmp_path / 'nginx.pid'};")
        .replace("server 127.0.0.1:3000;", f"server 127.0.0.1:{upstream};")
        .replace("listen 443 ssl;", f"listen 127.0.0.1:{listen} ssl;")
        .replace("/etc/ssl/certs/bot.example.org.pem", str(cert))
        .replace("/etc/ssl/private/bot.example.org.key", str(key))
    )
    (tmp_path / "nginx.conf").write_text(config)
    for folder in ("client_body_temp", "proxy_temp", "logs"):
        (tmp_path / folder).mkdir()
    test = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
    )
    assert test.returncode == 0, test.stderr
    return subprocess.Popen(
        ["nginx", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"],
        stderr=subprocess.DEVNULL,
    )


def test_slacks_requests_reach_the_bot_through_the_documented_proxy(
    database: Database, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    if database.url.get_backend_name() != "sqlite":
        return  # the proxy is the same whatever the database
    bot_port, proxy_port = free_port(), free_port()
    bot = run_bot(database, fake_slack, bot_port, tmp_path)
    proxy = _nginx(tmp_path / "nginx", listen=proxy_port, upstream=bot_port)
    unverified = ssl.create_default_context()
    unverified.check_hostname, unverified.verify_mode = False, ssl.CERT_NONE
    try:
        wait_healthy(bot_port, bot)
        base = f"https://127.0.0.1:{proxy_port}"
        for _ in range(50):  # nginx listening
            try:
                with urllib.request.urlopen(base + "/healthz", context=unverified, timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        slack = Slack(base + "/slack/events", SIGNING_SECRET, fake_slack, ssl_context=unverified)
        reply = slack.say(
            f"/group setup Gore District lead <@{LISA}|lisa>", user=DIRECTOR, channel=GORE
        )
        assert "Gore District" in reply.text
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(base + "/metrics", context=unverified, timeout=5)
        assert refused.value.code == 404
        with socket.create_connection(("127.0.0.1", proxy_port), timeout=15) as idle:
            started = time.monotonic()
            assert idle.recv(1) == b""  # closed by the proxy
            assert time.monotonic() - started < 10
    finally:
        proxy.terminate()
        proxy.wait(timeout=10)
        kill_service(bot)
