"""The run record: what one run of a bundle did (status, per-node status, timings, rows,
columns, metric values, check results, publications, logs, errors, engine, version,
parameters), written as <results>/<run id>.json next to <results>/<run id>/ holding the
table outputs as Parquet. `aqueduct engines sync` imports these into the app's history."""
import json
import os
import secrets
import uuid

from . import RECORD_FORMAT, RUNTIME_VERSION
from .values import summary_line

# a fixed namespace, so an engine's own run id always maps to the same Aqueduct run id
RUN_NAMESPACE = uuid.UUID("6f1c2a8e-4b7d-4c59-9a53-2f0e8d1b7c44")


def run_id_for(engine_run_key):
    return str(uuid.uuid5(RUN_NAMESPACE, engine_run_key))


def run_status(node_records):
    """(status, error) by the local executor's rule (runner/exec/executor.ts outcome())."""
    failed = [r for r in node_records if r["status"] == "failed"]
    if failed:
        f = failed[0]
        more = " (and %d more)" % (len(failed) - 1) if len(failed) > 1 else ""
        message = (f.get("error") or {}).get("message", "unknown error")
        return "failed", 'node "%s" failed: %s%s' % (f["nodeId"], summary_line(message), more)
    if any(r["status"] == "warning" for r in node_records):
        return "succeeded_with_warnings", None
    return "succeeded", None


def build_record(bundle, run_id, engine, params, trigger, created_at, started_at, finished_at, results, engine_run=None):
    """results: {node id: step result} for nodes that finished; the rest count as skipped."""
    nodes, logs, metrics, checks, pubs = [], [], [], [], []
    for node_id in bundle.order:
        r = results.get(node_id) or {"node": {"nodeId": node_id, "kind": bundle.nodes[node_id]["kind"], "status": "skipped",
                                              "attempts": 0, "error": {"message": "skipped: its inputs never became available"}}}
        rec = dict(r["node"])
        if "table" in r:
            rec["artifact"] = "%s/%s.parquet" % (run_id, node_id)
        nodes.append(rec)
        logs.extend(r.get("logs") or [])
        if r.get("metric"):
            metrics.append(r["metric"])
        if r.get("check"):
            checks.append(r["check"])
        if r.get("publication"):
            pubs.append(r["publication"])
    status, error = run_status(nodes)
    m = bundle.manifest
    return {
        "format": RECORD_FORMAT,
        "runtimeVersion": RUNTIME_VERSION,
        "runId": run_id,
        "engine": engine,
        "engineRun": engine_run,
        "workflow": {"name": m["workflow"]["name"], "folder": m["workflow"].get("folder")},
        "version": m["version"],
        "trigger": trigger,
        "params": params,
        "status": status,
        "error": error,
        "createdAt": created_at,
        "startedAt": started_at,
        "finishedAt": finished_at,
        "nodes": nodes,
        "metrics": metrics,
        "checks": checks,
        "publications": pubs,
        "logs": sorted(logs, key=lambda entry: entry["ts"]),
    }


def write_json_atomic(path, obj):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    tmp = "%s.%s.tmp" % (path, secrets.token_hex(4))
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(obj, fh, ensure_ascii=False, allow_nan=False, default=str)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def write_record(results_dir, record):
    path = os.path.join(results_dir, "%s.json" % record["runId"])
    write_json_atomic(path, record)
    return path


MARK_BEGIN = "----- aqueduct run record begin -----"
MARK_END = "----- aqueduct run record end -----"


def print_record(record, out):
    """The record on a log stream between markers, for engines whose logs the app can read."""
    out.write("\n%s\n%s\n%s\n" % (MARK_BEGIN, json.dumps(record, ensure_ascii=False, allow_nan=False, default=str), MARK_END))
    out.flush()
