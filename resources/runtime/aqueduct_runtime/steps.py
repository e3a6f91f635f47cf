"""One node's step, shared by every engine wrapper: whether it may run (readiness: skip
downstream of a failure; publishes wait for every other node and run only if none
failed) and running it (retries, timeout, outcome to node status as the local executor
records it). Every wrapper (whole run, Airflow task, Ray task) calls these two."""
import signal
import threading
import time
import traceback

from .builtins import node_params
from .context import NodeContext
from .kinds import NodeFailure, run_node_kind
from .values import clip_error, js_number

DONE_OK = ("succeeded", "warning")
DONE_BAD = ("failed", "skipped", "cancelled")


def now_ms():
    return int(time.time() * 1000)


def readiness(bundle, node_id, statuses):
    """('ready'|'wait', None) or ('skip', reason), from the statuses of nodes finished so far."""
    node = bundle.nodes[node_id]
    for up in node.get("inputs") or []:
        s = statuses.get(up)
        if s in DONE_BAD:
            return "skip", "skipped: %s %s" % (up, "failed" if s == "failed" else "was " + s)
        if s not in DONE_OK:
            return "wait", None
    if node["kind"] != "publish":
        return "ready", None
    for other in bundle.order:
        onode = bundle.nodes[other]
        if onode["kind"] == "publish":
            continue
        s = statuses.get(other)
        if s in (None, "pending", "running"):
            return "wait", None
        if s == "failed":
            what = "%s %s failed" % (onode["kind"], other) if onode["kind"] in ("check", "metric") else "%s failed" % other
            return "skip", "not published: " + what
    return "ready", None


def skipped(bundle, node_id, reason, status="skipped"):
    t = now_ms()
    return {"node": {"nodeId": node_id, "kind": bundle.nodes[node_id]["kind"], "status": status, "attempts": 0,
                     "finishedAt": t, "error": {"message": reason}}, "logs": []}


class _Timeout(BaseException):
    """Raised inside the node by the timer; a BaseException so `except Exception` in user code lets it through."""


class _Timer:
    """A per-attempt timeout with SIGALRM where that works (the main thread on POSIX)."""

    def __init__(self, seconds):
        self.seconds, self.fired, self._old = seconds, False, None

    def __enter__(self):
        usable = self.seconds and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
        if usable:
            def on_alarm(_sig, _frame):
                self.fired = True
                raise _Timeout()

            self._old = signal.signal(signal.SIGALRM, on_alarm)
            signal.setitimer(signal.ITIMER_REAL, float(self.seconds))
        return self

    def __exit__(self, *exc):
        if self._old is not None:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._old)
        return False


def _timed_out(node):
    left = "; the destination was left as it was" if node["kind"] == "publish" else ""
    return {"message": "timed out after %ss%s" % (js_number(node["timeout"]), left),
            "fix": "raise timeout: on the node in workflow.yaml, or make it faster"}


def run_step(bundle, node_id, params, inputs, output_path, builtins=None, scalars=None):
    """Runs one node with its retries; returns {node, logs, metric?, check?, publication?, table?}.
    inputs: upstream tables {id: parquet path}; scalars: upstream metrics' values {id: value};
    builtins: today, run_time and slot_time of the run (builtins.py)."""
    node = bundle.nodes[node_id]
    params = node_params(builtins, params, scalars)
    logs = []

    def log(stream, line):
        logs.append({"nodeId": node_id, "ts": now_ms(), "stream": stream, "line": line})

    max_attempts = 1 + int(node.get("retries") or 0)
    base = {"nodeId": node_id, "kind": node["kind"]}
    for attempt in range(1, max_attempts + 1):
        started = now_ms()
        timer = _Timer(node.get("timeout"))
        try:
            with timer:
                outcome = run_node_kind(NodeContext(bundle, node_id, params, inputs, output_path, log))
            # finished after its timeout: still timed out, unless a publish already committed
            if timer.fired and node["kind"] != "publish":
                raise _Timeout()
            return _recorded(node, dict(base, attempts=attempt, startedAt=started, finishedAt=now_ms()), outcome, logs)
        except _Timeout:
            error = _timed_out(node)
        except NodeFailure as e:
            error = e.to_error() if not timer.fired else _timed_out(node)
        except Exception as e:  # noqa: BLE001 - anything else is the node's failure, with its traceback
            error = {"message": str(e) or type(e).__name__, "detail": traceback.format_exc()}
        error = clip_error(error)
        if attempt < max_attempts:
            log("system", "attempt %d of %d failed: %s; retrying" % (attempt, max_attempts, error["message"]))
            continue
        rec = dict(base, status="failed", attempts=attempt, startedAt=started, finishedAt=now_ms(), error=error)
        return {"node": rec, "logs": logs}


def _recorded(node, rec, o, logs):
    severity = (node.get("severity") or "error") if node["kind"] in ("check", "metric") else "error"
    ts = rec["finishedAt"]
    out = {"logs": logs}
    if o["type"] == "table":
        rec.update(status="succeeded", rows=o["rows"], columns=o["columns"], bytes=o["bytes"])
        out["table"] = {"path": o["path"], "columns": o["columns"], "rows": o["rows"]}
    elif o["type"] in ("check", "metric"):
        level = "warning" if o.get("warningOnly") else severity
        status = "succeeded" if o["passed"] else "failed" if level == "error" else "warning"
        rec.update(status=status, value=o["value"])
        if o.get("message"):
            rec["error"] = {"message": o["message"]}
        if o["type"] == "check":
            out["check"] = {"nodeId": rec["nodeId"], "passed": o["passed"], "severity": severity, "message": o.get("message"), "ts": ts}
        else:
            bounds, warn = o.get("bounds") or {}, o.get("warnBounds") or {}
            out["metric"] = {"nodeId": rec["nodeId"], "value": o["value"], "lower": bounds.get("lower"),
                             "upper": bounds.get("upper"), "warnLower": warn.get("lower"), "warnUpper": warn.get("upper"),
                             "passed": o["passed"], "ts": ts}
    else:
        rec.update(status="succeeded", rows=o["rows"])
        out["publication"] = {"nodeId": rec["nodeId"], "destination": o["destination"], "connection": o.get("connection"),
                              "target": o["target"], "mode": o["mode"], "rows": o["rows"], "ts": ts}
    out["node"] = rec
    return out
