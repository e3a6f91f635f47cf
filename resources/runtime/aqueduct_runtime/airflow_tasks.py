"""What the generated Airflow DAG's tasks call: one node per task, its upstream tables and
every node's finished state under the shared folder (<shared>/results/<run id>/), the same
readiness rules as everywhere else, and a last task that writes the run record. A failed
node fails its task; a skipped node skips it; warnings succeed with a log line."""
import glob
import json
import os

from .bundle import Bundle
from .builtins import builtin_params, metric_inputs
from .record import build_record, print_record, run_id_for, write_json_atomic, write_record
from .steps import now_ms, readiness, run_step, skipped


def _exceptions():
    try:
        from airflow.sdk.exceptions import AirflowException, AirflowSkipException
    except ImportError:  # Airflow 2
        from airflow.exceptions import AirflowException, AirflowSkipException
    return AirflowException, AirflowSkipException


class _Run:
    """One DAG run as an Aqueduct run: its id, folders, parameters and trigger."""

    def __init__(self, bundle_root, shared_dir, output_dir, context):
        self.bundle = Bundle(bundle_root, output_dir or os.path.join(shared_dir, "outputs"))
        self.bundle.secret_source = _airflow_connection
        dag_id = context["dag"].dag_id if context.get("dag") is not None else "dag"
        self.engine_run = {"dagId": dag_id, "dagRunId": str(context.get("run_id"))}
        self.run_id = run_id_for("airflow:%s:%s" % (dag_id, context.get("run_id")))
        self.results_dir = os.path.join(shared_dir, "results")
        self.run_dir = os.path.join(self.results_dir, self.run_id)
        self.state_dir = os.path.join(self.run_dir, ".state")
        given = context.get("params") or {}
        declared = self.bundle.manifest.get("parameters") or {}
        self.overrides = {k: given[k] for k in declared if k in given and given[k] is not None}
        run = context.get("dag_run")
        self.trigger = "airflow:%s" % (getattr(run, "run_type", None) or "run")
        # a scheduled DAG run is for the time Airflow planned it (its slot); others for when they started
        planned = getattr(run, "run_after", None) or context.get("logical_date")
        scheduled = str(getattr(run, "run_type", "")).endswith("scheduled")
        self.slot_time = int(planned.timestamp() * 1000) if scheduled and planned is not None else None
        os.makedirs(self.state_dir, exist_ok=True)
        self.started = self._started()

    def _started(self):
        path = os.path.join(self.state_dir, "run.json")
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            with os.fdopen(fd, "w") as fh:
                json.dump({"startedAt": now_ms()}, fh)
        except FileExistsError:
            pass
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)["startedAt"]

    def states(self):
        out = {}
        for path in glob.glob(os.path.join(self.state_dir, "node-*.json")):
            with open(path, encoding="utf-8") as fh:
                r = json.load(fh)
            out[r["node"]["nodeId"]] = r
        return out

    def save(self, node_id, result):
        write_json_atomic(os.path.join(self.state_dir, "node-%s.json" % node_id), result)


def _airflow_connection(name, cfg):
    """The secrets of a data connection, from the Airflow connection the app saved at deploy."""
    conn_id = cfg.get("airflowConnId")
    if not conn_id:
        return {}
    try:
        from airflow.sdk import Connection
    except ImportError:  # Airflow 2
        from airflow.hooks.base import BaseHook as Connection
    c = Connection.get(conn_id)
    out = dict(c.extra_dejson or {})
    for key, value in (("host", c.host), ("port", c.port), ("user", c.login), ("password", c.password), ("database", c.schema)):
        if value not in (None, ""):
            out[key] = value
    return out


RECORD_XCOM = "aqueduct_record"


def run_node(bundle_root, shared_dir, node_id, context, output_dir=None):
    AirflowException, AirflowSkipException = _exceptions()
    run = _Run(bundle_root, shared_dir, output_dir, context)
    params = run.bundle.params(run.overrides)
    done = run.states()
    state, reason = readiness(run.bundle, node_id, {k: v["node"]["status"] for k, v in done.items()})
    if state == "wait":
        state, reason = "skip", "skipped: its inputs never became available"
    if state == "skip":
        run.save(node_id, skipped(run.bundle, node_id, reason))
        raise AirflowSkipException(reason)
    inputs = {up: done[up]["table"]["path"] for up in run.bundle.nodes[node_id].get("inputs") or [] if "table" in done.get(up, {})}
    builtins = builtin_params(run.bundle, run.started, run.slot_time)
    result = run_step(run.bundle, node_id, params, inputs, os.path.join(run.run_dir, node_id + ".parquet"),
                      builtins, metric_inputs(run.bundle, node_id, done))
    run.save(node_id, result)
    node = result["node"]
    message = (node.get("error") or {}).get("message")
    print("[aqueduct] %s: %s%s" % (node_id, node["status"], ": " + message if message else ""), flush=True)
    if node["status"] == "failed":
        raise AirflowException("node %s failed: %s" % (node_id, message))
    return node["status"]


def finish_run(bundle_root, shared_dir, context, output_dir=None):
    """The run record from every node's state; fails the task (and so the DAG run) when the run failed."""
    import sys

    AirflowException, _ = _exceptions()
    run = _Run(bundle_root, shared_dir, output_dir, context)
    params = run.bundle.params(run.overrides)
    record = build_record(run.bundle, run.run_id, "airflow", params, run.trigger, run.started, run.started, now_ms(),
                          run.states(), run.engine_run)
    path = write_record(run.results_dir, record)
    print("[aqueduct] run %s %s; record: %s" % (run.run_id, record["status"], path), flush=True)
    # the app reads the record back through Airflow's REST API: no shared folder needed
    ti = context.get("ti")
    if ti is not None:
        ti.xcom_push(key=RECORD_XCOM, value=json.dumps(record, ensure_ascii=False, allow_nan=False, default=str))
    else:
        print_record(record, sys.stdout)
    if record["status"] == "failed":
        raise AirflowException(record["error"])
    return record["status"]
