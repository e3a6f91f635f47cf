"""A real `aqueduct serve` for the client's tests: started from this checkout with its own
app-data folder (which gets the bundled churn example on first start), found through the
server.json it writes, and stopped with SIGTERM at the end."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

REPO = Path(__file__).resolve().parents[3]


@dataclass
class Server:
    home: Path
    url: str
    token: str
    process: "subprocess.Popen[bytes]"
    log: Path


def start_server(home: Path) -> Server:
    node = os.environ.get("AQUEDUCT_TEST_NODE") or shutil.which("node")
    if not node:
        raise RuntimeError("node is not on the PATH: the client's tests start `aqueduct serve` with Node 20")
    env = {k: v for k, v in os.environ.items() if k not in ("AQUEDUCT_URL", "AQUEDUCT_TOKEN")}
    env.update(AQUEDUCT_HOME=str(home), AQUEDUCT_PYTHON=os.environ.get("AQUEDUCT_PYTHON", sys.executable), NO_COLOR="1")
    log = home.parent / (home.name + "-serve.log")
    with open(log, "wb") as out:
        process = subprocess.Popen([node, str(REPO / "bin" / "aqueduct.mjs"), "serve", "--port", "0"], cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    discovery = home / "server.json"
    deadline = time.monotonic() + 120
    while not discovery.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("aqueduct serve did not start:\n" + log.read_text(errors="replace"))
        time.sleep(0.2)
    info = json.loads(discovery.read_text())
    return Server(home, info["url"], info["token"], process, log)


def stop_server(server: Server) -> None:
    server.process.send_signal(signal.SIGTERM)
    try:
        server.process.wait(60)
    except subprocess.TimeoutExpired:
        server.process.kill()
        raise


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    s = start_server(tmp_path_factory.mktemp("app") / "home")
    yield s
    stop_server(s)


@pytest.fixture
def app_env(server: Server, monkeypatch: pytest.MonkeyPatch) -> Server:
    """The environment a user of the running app has: its AQUEDUCT_HOME, no URL or token set."""
    monkeypatch.setenv("AQUEDUCT_HOME", str(server.home))
    monkeypatch.delenv("AQUEDUCT_URL", raising=False)
    monkeypatch.delenv("AQUEDUCT_TOKEN", raising=False)
    return server
