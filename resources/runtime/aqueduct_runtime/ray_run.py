"""A run as a Ray job: the driver (the job's entrypoint) submits one Ray task per node,
with the upstream nodes' results as arguments, so Ray runs independent branches in
parallel and tables travel through the object store (as Parquet bytes, the very files
the local runner reads). Each task decides with the shared readiness rules and runs the
shared step; the driver writes the run record and prints it for the app to read back."""
import os
import sys
import tempfile
import uuid

from .bundle import MANIFEST, Bundle
from .builtins import builtin_params, metric_inputs, slot_time_from_env
from .record import build_record, print_record, write_record
from .steps import now_ms, readiness, run_step, skipped


def _submission_id():
    """The job's submission id when this driver runs as a Ray job (Ray sets the job config)."""
    raw = os.environ.get("RAY_JOB_CONFIG_JSON_ENV_VAR")
    if not raw:
        return None
    import json

    return (json.loads(raw).get("metadata") or {}).get("job_submission_id") or ""


def _bundle_here(root, output_dir):
    # in a job, every worker's working directory is the uploaded bundle
    here = os.getcwd()
    return Bundle(here if os.path.exists(os.path.join(here, MANIFEST)) else root, output_dir)


def node_task(root, output_dir, node_id, params, builtins, deps, *dep_results):
    bundle = _bundle_here(root, output_dir)
    statuses = {d: r["node"]["status"] for d, r in zip(deps, dep_results)}
    state, reason = readiness(bundle, node_id, statuses)
    if state == "wait":
        state, reason = "skip", "skipped: its inputs never became available"
    if state == "skip":
        return skipped(bundle, node_id, reason)
    with tempfile.TemporaryDirectory(prefix="aqueduct-") as tmp:
        inputs = {}
        for d, r in zip(deps, dep_results):
            if d in (bundle.nodes[node_id].get("inputs") or []) and r.get("blob") is not None:
                inputs[d] = os.path.join(tmp, d + ".parquet")
                with open(inputs[d], "wb") as fh:
                    fh.write(r["blob"])
        scalars = metric_inputs(bundle, node_id, dict(zip(deps, dep_results)))
        result = run_step(bundle, node_id, params, inputs, os.path.join(tmp, node_id + ".parquet"), builtins, scalars)
        if "table" in result:
            with open(result["table"]["path"], "rb") as fh:
                result["blob"] = fh.read()
    return result


def run_on_ray(bundle, results_dir, overrides=None, run_id=None, trigger="runtime", engine="ray", echo_record=False):
    import ray

    params = bundle.params(overrides)
    run_id = run_id or str(uuid.uuid4())
    if not ray.is_initialized():
        in_job = _submission_id() is not None
        # a job's workers already start in the uploaded bundle; run directly, ship it now
        ray.init(log_to_driver=True, runtime_env=None if in_job else {"working_dir": bundle.root, "excludes": ["out/", "results/"]})
    remote = ray.remote(max_retries=0)(node_task)
    created = started = now_ms()
    builtins = builtin_params(bundle, created, slot_time_from_env())
    refs = {}
    # tables come only from non-publish nodes; publishes wait for all of those
    ordered = [n for n in bundle.order if bundle.nodes[n]["kind"] != "publish"] + \
              [n for n in bundle.order if bundle.nodes[n]["kind"] == "publish"]
    others = [n for n in bundle.order if bundle.nodes[n]["kind"] != "publish"]
    for node_id in ordered:
        node = bundle.nodes[node_id]
        deps = list(node.get("inputs") or [])
        if node["kind"] == "publish":
            deps += [n for n in others if n not in deps]
        refs[node_id] = remote.options(name="aqueduct:%s" % node_id).remote(
            bundle.root, bundle.output_dir, node_id, params, builtins, deps, *[refs[d] for d in deps])
    values = ray.get([refs[n] for n in ordered])
    results = {}
    tables_dir = os.path.join(results_dir, run_id)
    os.makedirs(tables_dir, exist_ok=True)
    for node_id, r in zip(ordered, values):
        blob = r.pop("blob", None)
        if blob is not None:
            path = os.path.join(tables_dir, node_id + ".parquet")
            with open(path, "wb") as fh:
                fh.write(blob)
            r["table"]["path"] = path
        results[node_id] = r
        msg = (r["node"].get("error") or {}).get("message")
        print("[aqueduct] %s: %s%s" % (node_id, r["node"]["status"], ": " + msg if msg else ""), flush=True)
    job = _submission_id()
    record = build_record(bundle, run_id, engine, params, trigger, created, started, now_ms(), results,
                          {"submissionId": job} if job else None)
    path = write_record(results_dir, record)
    print("[aqueduct] run %s %s; record: %s" % (run_id, record["status"], path), flush=True)
    if echo_record:
        print_record(record, sys.stdout)
    return record
