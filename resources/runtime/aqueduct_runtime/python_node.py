"""Python nodes (and Python checks and metrics) run through the very worker code the
desktop app uses (aqueduct_worker.execute, copied into every bundle), so inputs, the
run(**inputs, **params) signature rules, results and error messages are the same.
Lines the node prints are captured for the run record and still shown on the console."""
import os
import sys

try:
    import aqueduct_worker as worker
except ImportError:  # running from a source checkout: resources/python beside resources/runtime
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "python"))
    import aqueduct_worker as worker


class _Lines:
    """A text stream that hands each complete line to `emit` and echoes it to `echo`."""

    def __init__(self, emit, echo):
        self._emit, self._echo, self._buf = emit, echo, ""

    def write(self, s):
        if self._echo is not None:
            try:
                self._echo.write(s)
            except Exception:
                pass
        self._buf += s
        while "\n" in self._buf:
            line, self._buf = self._buf.split("\n", 1)
            self._emit(line)
        return len(s)

    def flush(self):
        if self._echo is not None:
            try:
                self._echo.flush()
            except Exception:
                pass

    def close_line(self):
        if self._buf:
            self._emit(self._buf)
            self._buf = ""

    def isatty(self):
        return False


def call_python(ctx):
    """Runs the node's run(); returns the worker's result ({kind: table|scalar, ...})."""
    from .kinds import NodeFailure

    req = {
        "id": 0,
        "code": ctx.code,
        "file": ctx.node.get("codeFile") or "nodes/%s.py" % ctx.node["id"],
        "inputs": dict(ctx.inputs),
        "params": dict(ctx.params),
        "outputPath": ctx.output_path,
    }
    saved = sys.stdout, sys.stderr
    out = _Lines(lambda line: ctx.log("stdout", line), saved[0])
    err = _Lines(lambda line: ctx.log("stderr", line), saved[1])
    sys.stdout, sys.stderr = out, err
    cwd = os.getcwd()
    try:
        response = worker.execute(req)
    finally:
        sys.stdout, sys.stderr = saved
        out.close_line()
        err.close_line()
        try:
            os.chdir(cwd)
        except OSError:
            pass
    if not response.get("ok"):
        e = response["error"]
        if e["type"] == "NodeProblem":
            raise NodeFailure(e["message"])
        raise NodeFailure("%s: %s" % (req["file"], e["message"]), where_only(e.get("traceback") or "", e["message"]))
    return response["result"]


def where_only(tb, message):
    """The traceback without its last line(s) when they only repeat the message, shown right
    above it (as runner/exec/kinds/python.ts whereOnly)."""
    t, m = tb.rstrip(), message.rstrip()
    if m and t.endswith(m) and len(t) > len(m):
        return t[:len(t) - len(m)].rstrip() + "\n"
    return tb
