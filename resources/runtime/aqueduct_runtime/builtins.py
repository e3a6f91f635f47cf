"""Built-in parameters every node gets besides the workflow's own, as the local runner
gives them (runner/monitor/builtins.ts): run_time (when the run started, ISO 8601 in UTC),
slot_time (the schedule slot a scheduled run is for; otherwise the run's time) and today
(the date of slot_time in the schedule's time zone, else the machine's). A workflow
parameter of the same name wins. They are never recorded as the run's parameters."""
import datetime
import os

NAMES = ("today", "run_time", "slot_time")


def _iso(ms):
    t = datetime.datetime.fromtimestamp(ms / 1000.0, datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (int(ms) % 1000)


def _date_in(ms, time_zone):
    t = datetime.datetime.fromtimestamp(ms / 1000.0, datetime.timezone.utc)
    if time_zone:
        try:
            from zoneinfo import ZoneInfo

            return t.astimezone(ZoneInfo(time_zone)).strftime("%Y-%m-%d")
        except Exception:  # noqa: BLE001 - an unknown zone: the machine's, as with none
            pass
    return t.astimezone().strftime("%Y-%m-%d")


def slot_time_from_env():
    """AQUEDUCT_SLOT_TIME (epoch milliseconds or ISO 8601), as an engine wrapper may pass it."""
    raw = os.environ.get("AQUEDUCT_SLOT_TIME")
    if not raw:
        return None
    try:
        return int(float(raw))
    except ValueError:
        return int(datetime.datetime.fromisoformat(raw.replace("Z", "+00:00")).timestamp() * 1000)


def builtin_params(bundle, run_time_ms, slot_time_ms=None):
    slot = slot_time_ms if slot_time_ms is not None else run_time_ms
    tz = (bundle.manifest.get("schedule") or {}).get("timezone")
    return {"today": _date_in(slot, tz), "run_time": _iso(run_time_ms), "slot_time": _iso(slot)}


def metric_inputs(bundle, node_id, results):
    """Upstream metric nodes' values ({id: value}), from the finished nodes' results."""
    out = {}
    for up in bundle.nodes[node_id].get("inputs") or []:
        if bundle.nodes.get(up, {}).get("kind") == "metric":
            r = results.get(up) or {}
            out[up] = (r.get("node") or {}).get("value")
    return out


def node_params(builtins, params, scalars):
    """What a node's code sees: built-ins, then the workflow's parameters, then metric inputs."""
    out = dict(builtins or {})
    out.update(params)
    out.update(scalars or {})
    return out
