"""`mkdocs serve` shows an edited vendor file on the next reload, without a restart."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import yaml

from tests.sitebuild import REPOSITORY

FIXTURE = REPOSITORY / "tests" / "fixtures" / "catalogue"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def _wait_for(url: str, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in _fetch(url):
            return True
        time.sleep(0.5)
    return False


def test_serve_picks_up_edited_vendor_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    config = yaml.safe_load((REPOSITORY / "mkdocs.yml").read_text())
    config["docs_dir"] = str(REPOSITORY / "docs")
    config["theme"]["custom_dir"] = str(REPOSITORY / "overrides")
    config["plugins"] = ["search", {"consent-atlas": {"data_dir": str(data), "pages_dir": str(tmp_path / "pages")}}]
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config))
    port = _free_port()
    url = f"http://127.0.0.1:{port}/consent-atlas/vendors/acme-analytics/"
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-f", str(config_file), "-a", f"127.0.0.1:{port}"],
        stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        assert _wait_for(url, "counts page views and clicks", 60), "the first build was not served"
        record = data / "vendors" / "acme-analytics.yaml"
        record.write_text(record.read_text().replace("counts page views and clicks", "counts page views, clicks and scrolls"))

        assert _wait_for(url, "counts page views, clicks and scrolls", 60)
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
