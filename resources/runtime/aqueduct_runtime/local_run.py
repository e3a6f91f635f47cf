"""A whole run in one process (engine python, and the Kubernetes Job's container): nodes
in plan order, each started when it is ready, with the same skip and publish rules as the
local executor. One node at a time: outputs do not depend on the parallelism."""
import os
import sys
import uuid

from .builtins import builtin_params, metric_inputs, slot_time_from_env
from .record import build_record, print_record, write_record
from .steps import now_ms, readiness, run_step, skipped


def run_bundle(bundle, results_dir, engine="python", overrides=None, run_id=None, trigger="runtime",
               engine_run=None, echo_record=False):
    params = bundle.params(overrides)
    run_id = run_id or str(uuid.uuid4())
    tables_dir = os.path.join(results_dir, run_id)
    os.makedirs(tables_dir, exist_ok=True)
    created = started = now_ms()
    builtins = builtin_params(bundle, created, slot_time_from_env())
    statuses, results, tables = {}, {}, {}
    pending = list(bundle.order)
    progressed = True
    while pending and progressed:
        progressed = False
        for node_id in list(pending):
            state, reason = readiness(bundle, node_id, statuses)
            if state == "wait":
                continue
            pending.remove(node_id)
            progressed = True
            if state == "skip":
                r = skipped(bundle, node_id, reason)
            else:
                print("[aqueduct] %s: running (%s)" % (node_id, bundle.nodes[node_id]["kind"]), flush=True)
                inputs = {up: tables[up] for up in bundle.nodes[node_id].get("inputs") or [] if up in tables}
                r = run_step(bundle, node_id, params, inputs, os.path.join(tables_dir, node_id + ".parquet"),
                             builtins, metric_inputs(bundle, node_id, results))
                if "table" in r:
                    tables[node_id] = r["table"]["path"]
            statuses[node_id] = r["node"]["status"]
            results[node_id] = r
            _say(r)
    record = build_record(bundle, run_id, engine, params, trigger, created, started, now_ms(), results, engine_run)
    path = write_record(results_dir, record)
    print("[aqueduct] run %s %s; record: %s" % (run_id, record["status"], path), flush=True)
    if echo_record:
        print_record(record, sys.stdout)
    return record


def _say(r):
    n = r["node"]
    msg = (n.get("error") or {}).get("message")
    print("[aqueduct] %s: %s%s" % (n["nodeId"], n["status"], ": " + msg if msg else ""), flush=True)
