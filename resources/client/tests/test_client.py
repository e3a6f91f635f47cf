"""The client against a real `aqueduct serve` (see conftest.py): finding it, reading runs,
outputs, metrics and checks, starting runs with parameters, and saying what went wrong."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import aqueduct_client
from aqueduct_client import AqueductError, NotRunningError, RunFailedError, RunTimeoutError

from conftest import REPO, Server, start_server, stop_server


def test_connect_finds_the_running_app_through_server_json(app_env: Server) -> None:
    app = aqueduct_client.connect()
    assert app.url == app_env.url
    assert [w.name for w in app.workflows()] == ["Customer churn"]
    assert app_env.token not in repr(app) and app_env.token not in repr(app._transport)


def test_connect_takes_an_address_a_token_or_the_environment(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AQUEDUCT_HOME", "/nonexistent")
    assert aqueduct_client.connect("%s/?token=%s" % (server.url, server.token)).url == server.url
    assert aqueduct_client.connect(server.url, token=server.token).url == server.url
    monkeypatch.setenv("AQUEDUCT_URL", server.url)
    monkeypatch.setenv("AQUEDUCT_TOKEN", server.token)
    assert aqueduct_client.connect().url == server.url
    with pytest.raises(AqueductError, match="refused the token") as refused:
        aqueduct_client.connect(server.url, token="not-the-token")
    assert refused.value.fix == "use the token of the running app (server.json, or the address aqueduct serve printed)"


def test_says_what_to_do_when_no_app_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AQUEDUCT_URL", raising=False)
    with pytest.raises(NotRunningError, match="no running Aqueduct found") as missing:
        aqueduct_client.connect(home=str(tmp_path))
    assert "aqueduct serve" in (missing.value.fix or "")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        free_port = s.getsockname()[1]
    with pytest.raises(NotRunningError, match="nothing answers at http://127.0.0.1:%d" % free_port):
        aqueduct_client.connect("http://127.0.0.1:%d" % free_port, token="x")


def test_runs_a_workflow_with_parameters_and_reads_its_outputs_metrics_and_checks(app_env: Server) -> None:
    app = aqueduct_client.connect()
    wf = app.workflow("Customer churn")
    assert wf.parameters()["high_risk_threshold"]["default"] == 0.5
    run = wf.run(params={"high_risk_threshold": 0.3}, wait=True, check=True)
    assert run.status == "succeeded" and run.params["high_risk_threshold"] == 0.3

    predictions = run.output("predictions")
    assert isinstance(predictions, pd.DataFrame)
    assert list(predictions.columns) == ["customer_id", "region", "plan", "churn_probability", "risk_band"]
    assert len(predictions) == run.metrics()["scored_customers"] == 2000
    assert (predictions["risk_band"] == "high").sum() == (predictions["churn_probability"] >= 0.3).sum()
    published = pd.read_csv(Path(wf.folder) / "out" / "churn_predictions.csv")
    pd.testing.assert_frame_equal(predictions, published, check_dtype=False)

    assert 0.02 <= run.metrics()["mean_churn_probability"] <= 0.6
    checks = run.checks()
    assert {name: c.passed for name, c in checks.items() if name in ("no_missing_scores", "probabilities_in_range")} == {
        "no_missing_scores": True, "probabilities_in_range": True}
    assert any("training on" in line for line in run.logs("churn_model"))
    assert [n.id for n in run.nodes][:2] == ["customers", "features"]

    # any node of any run, by id or a unique prefix
    again = app.run(run.id[:8])
    assert again.id == run.id and again.output("features").shape[0] == 2000
    assert run.id in [r.id for r in wf.runs()] and wf.latest_run().id == run.id
    history = wf.metric_history("scored_customers")
    assert list(history[history["run_id"] == run.id]["value"]) == [2000]


def test_a_failed_run_says_which_node_failed_and_why(app_env: Server, tmp_path: Path) -> None:
    folder = tmp_path / "broken"
    (folder / "nodes").mkdir(parents=True)
    (folder / "workflow.yaml").write_text("name: Broken\nnodes:\n  - id: boom\n    kind: python\n")
    (folder / "nodes" / "boom.py").write_text(textwrap.dedent("""\
        def run():
            raise ValueError("the input has no rows")
    """))
    app = aqueduct_client.connect()
    wf = app.open_workflow(str(folder))
    run = wf.run()
    assert run.status == "failed" and not run.succeeded
    boom = run.nodes[0]
    assert boom.status == "failed" and "ValueError: the input has no rows" in (boom.error or "")
    with pytest.raises(AqueductError, match='node "boom" of run %s has no output: its status is failed' % run.id[:8]):
        run.output("boom")
    with pytest.raises(RunFailedError) as failed:
        wf.run(check=True)
    assert failed.value.run.status == "failed"
    with pytest.raises(AqueductError, match="is not a node id"):
        run.output("../secret")


def test_refuses_unknown_parameters_and_gives_up_waiting_when_told(app_env: Server) -> None:
    wf = aqueduct_client.connect().workflow("Customer churn")
    with pytest.raises(AqueductError, match='unknown parameter "threshold"') as bad:
        wf.run(params={"threshold": 1})
    assert bad.value.code == "BAD_REQUEST"
    run = wf.run(wait=False)
    with pytest.raises(RunTimeoutError, match="run %s is still" % run.id[:8]):
        run.wait(timeout=0)
    assert run.wait(timeout=300).finished


def test_server_json_is_removed_when_the_server_stops(tmp_path: Path) -> None:
    s = start_server(tmp_path / "home")
    assert (s.home / "server.json").stat().st_mode & 0o777 == 0o600
    stop_server(s)
    assert not (s.home / "server.json").exists()
    with pytest.raises(NotRunningError):
        aqueduct_client.connect(home=str(s.home))


def test_the_package_builds_with_its_type_marker(tmp_path: Path) -> None:
    client = REPO / "resources" / "client"
    build = tmp_path / "src"
    shutil.copytree(client, build, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "build"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path / "dist"), str(build)],
                   check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("aqueduct_client-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "aqueduct_client/py.typed" in names and "aqueduct_client/client.py" in names
