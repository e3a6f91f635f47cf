"""The app as Python objects: workflows, their runs, and each run's outputs, metrics and
check results. Every call goes to the running app (see connect()); nothing is cached
except a run's record, which refresh() and wait() renew."""
from __future__ import annotations

import re
import tempfile
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Optional, Union

from .errors import AqueductError, RunFailedError, RunTimeoutError
from .transport import Transport

if TYPE_CHECKING:
    import pandas as pd

FINISHED = ("succeeded", "succeeded_with_warnings", "failed", "cancelled", "interrupted")
NODE_ID = re.compile(r"^[a-z_][a-z0-9_]*$")
ParamValue = Union[str, int, float, bool, None]


@dataclass(frozen=True)
class NodeRun:
    """One node in one run: its status, and for tables the row count and columns."""

    id: str
    kind: str
    status: str
    rows: Optional[int] = None
    columns: list[str] = field(default_factory=list)
    #: a check's or metric's value
    value: Any = None
    #: the node's error message, if it failed
    error: Optional[str] = None


@dataclass(frozen=True)
class CheckResult:
    """A check node's outcome; severity "error" stops publishing, "warning" does not."""

    node: str
    passed: bool
    severity: str
    message: Optional[str] = None


class Run:
    """One run of a workflow. Its fields are those of the last refresh() (or wait())."""

    def __init__(self, app: "Aqueduct", record: dict[str, Any]) -> None:
        self._app = app
        self._record = record

    def __repr__(self) -> str:
        return "<Run %s %s of %s>" % (self.id[:8], self.status, self.workflow_name or self.workflow_id)

    @property
    def id(self) -> str:
        return str(self._record["id"])

    @property
    def workflow_id(self) -> str:
        return str(self._record["workflowId"])

    @property
    def workflow_name(self) -> Optional[str]:
        return self._record.get("workflowName")

    @property
    def status(self) -> str:
        """queued, running, succeeded, succeeded_with_warnings, failed, cancelled or interrupted."""
        return str(self._record["status"])

    @property
    def params(self) -> dict[str, ParamValue]:
        """The parameter values the run used."""
        return dict(self._record.get("params") or {})

    @property
    def version(self) -> str:
        """The hash of the workflow version that ran."""
        return str(self._record["versionHash"])

    @property
    def engine(self) -> str:
        """Where it ran: local, or a remote engine (python, airflow, ray, kubernetes)."""
        return str(self._record.get("engine") or "local")

    @property
    def error(self) -> Optional[str]:
        """Why the run failed, if it did."""
        return self._record.get("error")

    @property
    def created_at(self) -> Optional[float]:
        """Unix time in seconds; likewise started_at and finished_at."""
        return _seconds(self._record.get("createdAt"))

    @property
    def started_at(self) -> Optional[float]:
        return _seconds(self._record.get("startedAt"))

    @property
    def finished_at(self) -> Optional[float]:
        return _seconds(self._record.get("finishedAt"))

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def succeeded(self) -> bool:
        """True for succeeded runs, warnings included."""
        return self.status in ("succeeded", "succeeded_with_warnings")

    def refresh(self) -> "Run":
        """Reads the run's record again (status, nodes, metrics, checks); returns self."""
        self._record = self._app._transport.query("runs.get", {"runId": self.id})
        return self

    def _detail(self) -> dict[str, Any]:
        if "nodes" not in self._record:
            self.refresh()
        return self._record

    def wait(self, timeout: Optional[float] = None, poll: float = 0.5, check: bool = False) -> "Run":
        """Waits until the run has finished; with check=True raises RunFailedError unless it succeeded."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self.refresh().finished:
            if timeout is not None and deadline is not None and time.monotonic() >= deadline:
                raise RunTimeoutError("run %s is still %s after %g seconds" % (self.id[:8], self.status, timeout), "wait longer, or cancel it with run.cancel()")
            time.sleep(poll)
        if check and not self.succeeded:
            raise RunFailedError(self)
        return self

    @property
    def nodes(self) -> list[NodeRun]:
        """Each node's status in this run."""
        return [NodeRun(n["nodeId"], n["kind"], n["status"], n.get("rows"), [c["name"] for c in n.get("columns") or []], n.get("value"),
                        (n.get("error") or {}).get("message")) for n in self._detail().get("nodes", [])]

    def output(self, node: str) -> "pd.DataFrame":
        """The table a node (source, sql or python) produced in this run, as a pandas DataFrame."""
        import pyarrow.parquet as pq

        if not NODE_ID.match(node):
            raise AqueductError("%r is not a node id" % node, "node ids are lower_snake_case, as in workflow.yaml")
        with tempfile.TemporaryFile() as f:
            self._app._transport.download("/api/runs/%s/outputs/%s.parquet" % (self.id, node), f)
            f.seek(0)
            return pq.read_table(f).to_pandas()

    def metrics(self) -> dict[str, Optional[float]]:
        """Each metric node's value in this run."""
        return {m["nodeId"]: m["value"] for m in self._detail().get("metrics", [])}

    def checks(self) -> dict[str, CheckResult]:
        """Each check's result in this run (a metric with bounds counts as a check of them too)."""
        return {c["nodeId"]: CheckResult(c["nodeId"], bool(c["passed"]), c["severity"], c.get("message")) for c in self._detail().get("checks", [])}

    def logs(self, node: Optional[str] = None) -> list[str]:
        """The lines the run (or one node) printed."""
        lines = self._app._transport.query("runs.logs", {"runId": self.id, **({"nodeId": node} if node else {})})
        return [line["line"] for line in lines]

    def cancel(self) -> bool:
        """Asks the app to cancel the run; False if it was not running."""
        return bool(self._app._transport.mutation("runs.cancel", {"runId": self.id})["cancelled"])


class Workflow:
    """A workflow the app knows (a folder with workflow.yaml)."""

    def __init__(self, app: "Aqueduct", record: dict[str, Any]) -> None:
        self._app = app
        self.id: str = record["id"]
        self.name: str = record["name"]
        self.folder: str = record["folder"]

    def __repr__(self) -> str:
        return "<Workflow %r at %s>" % (self.name, self.folder)

    def runs(self, limit: int = 100) -> list[Run]:
        """Its runs, newest first (previews left out)."""
        return self._app.runs(self, limit=limit)

    def latest_run(self) -> Optional[Run]:
        """Its newest run, if any."""
        runs = self.runs(limit=1)
        return runs[0] if runs else None

    def run(self, params: Optional[dict[str, ParamValue]] = None, wait: bool = True, timeout: Optional[float] = None, check: bool = False) -> Run:
        """Starts a run with these parameter values. With wait=True (the default) returns when it
        has finished; check=True then raises RunFailedError unless it succeeded."""
        record = self._app._transport.mutation("runs.start", {"workflowId": self.id, "params": params or {}})
        run = Run(self._app, record)
        return run.wait(timeout=timeout, check=check) if wait else run

    def parameters(self) -> dict[str, dict[str, Any]]:
        """Its declared parameters: type, default, description."""
        detail = self._app._transport.query("workflows.get", {"id": self.id})
        return dict(((detail.get("definition") or {}).get("parameters")) or {})

    def metric_history(self, node: Optional[str] = None) -> "pd.DataFrame":
        """Metric values over its runs, oldest first: run_id, node, value, passed, time."""
        import pandas as pd

        rows = self._app._transport.query("metrics.history", {"workflowId": self.id, **({"nodeId": node} if node else {})})
        return pd.DataFrame([{"run_id": m["runId"], "node": m["nodeId"], "value": m["value"], "passed": m["passed"],
                              "time": pd.to_datetime(m["ts"], unit="ms", utc=True)} for m in rows],
                            columns=["run_id", "node", "value", "passed", "time"])


class Aqueduct:
    """A connection to a running Aqueduct (see connect())."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def __repr__(self) -> str:
        return "<Aqueduct at %s>" % self.url

    @property
    def url(self) -> str:
        return self._transport.url

    def workflows(self) -> list[Workflow]:
        """Every workflow the app knows."""
        return [Workflow(self, w) for w in self._transport.query("workflows.list")]

    def workflow(self, ref: str) -> Workflow:
        """A workflow by id, name or folder."""
        found = [w for w in self.workflows() if ref in (w.id, w.name, w.folder)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise AqueductError("%d workflows are called %r" % (len(found), ref), "use its id or folder instead")
        raise AqueductError("no workflow %r in the app" % ref, "use a name, id or folder from workflows(), or open_workflow(folder)", "NOT_FOUND")

    def open_workflow(self, folder: str) -> Workflow:
        """Adds a workflow folder to the app (as "Open folder" does) and returns it."""
        return Workflow(self, self._transport.mutation("workflows.open", {"folder": folder}))

    def runs(self, workflow: Optional[Union[Workflow, str]] = None, limit: int = 100) -> list[Run]:
        """Runs, newest first, of one workflow (object or id) or of all."""
        query: dict[str, Any] = {"kind": "run", "limit": limit}
        if workflow is not None:
            query["workflowId"] = workflow.id if isinstance(workflow, Workflow) else workflow
        return [Run(self, r) for r in self._transport.query("runs.list", query)]

    def run(self, run_id: str) -> Run:
        """A run by id (a unique prefix is enough)."""
        return Run(self, self._transport.query("runs.get", {"runId": run_id}))


def _seconds(ms: Optional[float]) -> Optional[float]:
    return None if ms is None else ms / 1000.0
