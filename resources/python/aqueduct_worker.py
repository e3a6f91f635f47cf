# A warm worker for Aqueduct's Python nodes. Importing pandas and pyarrow takes seconds,
# so the runner keeps a few of these processes alive and sends them one node at a time.
#
# Protocol: JSON lines on file descriptor 3 (requests in, responses out), so that the
# user's print() output on stdout/stderr can never be mistaken for a response. After each
# request the worker writes an end marker on stdout and stderr, then the response; the
# runner waits for all three so every log line is attributed to the right node.
# Python 3.9+; stdlib, pandas and pyarrow only.
import faulthandler
import inspect
import json
import linecache
import math
import os
import sys
import traceback
import types
import warnings

# The runner checks only that pandas and pyarrow are installed (without importing them, so
# they are imported once, here); an install that cannot be imported is reported to it as
# {"type": "packages", ...} and the worker exits (environment.ts words the sentence).
PACKAGE_PROBLEM = None
try:
    import numpy as np  # installed with pandas
    import pandas as pd
except Exception as exc:
    PACKAGE_PROBLEM = ("pandas", exc)
else:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except Exception as exc:
        PACKAGE_PROBLEM = ("pyarrow", exc)
if PACKAGE_PROBLEM is not None and __name__ != "__main__":
    raise PACKAGE_PROBLEM[1]  # imported as a module (the runtime of exported bundles): as before

# figures are saved, never shown: no window may open from a worker
os.environ.setdefault("MPLBACKEND", "Agg")

CHANNEL_FD = 3
MODULE_NAME = "aqueduct_node"
RESULT_HINT = "return a pandas DataFrame, a single number/bool/string, or a figure for a report"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class NodeProblem(Exception):
    """A mistake in how the node is written (no run(), a result that cannot be saved):
    reported as the one sentence it holds, without a type name or a traceback."""


def article(word):
    return "an" if word[:1].lower() in "aeiou" else "a"


def user_traceback(exc):
    """The formatted traceback without the worker's own leading frames."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename == __file__:
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(exc), exc, tb))


def describe(exc):
    """An exception's message; pyarrow often packs several parts into args."""
    return "; ".join(str(a) for a in exc.args) if len(exc.args) > 1 else str(exc)


def read_inputs(inputs):
    frames = {}
    for name, path in inputs.items():
        try:
            frames[name] = pq.read_table(path).to_pandas()
        except Exception as exc:
            raise NodeProblem("could not read the input %r: %s" % (name, describe(exc)))
    return frames


def error_response(type_name, message, tb=""):
    text = "%s: %s" % (type_name, message) if message else type_name
    return {"ok": False, "error": {"type": type_name, "message": text, "traceback": tb or text + "\n"}}


def problem_response(exc):
    return {"ok": False, "error": {"type": "NodeProblem", "message": str(exc), "traceback": ""}}


def load_module(compiled, file):
    """Runs the node's compiled source in a fresh module; returns its run() function."""
    module = types.ModuleType(MODULE_NAME)
    module.__file__ = file
    sys.modules[MODULE_NAME] = module  # dataclasses and pickling look modules up by name
    exec(compiled, module.__dict__)
    run = module.__dict__.get("run")
    if run is None:
        raise NodeProblem("%s does not define a run() function; define def run(...) "
                          "taking the node's inputs and parameters by name" % file)
    if not callable(run):
        raise NodeProblem("run in %s is %s %s, not a function; define def run(...)"
                          % (file, article(type(run).__name__), type(run).__name__))
    return run


def arguments(run, file, inputs, params):
    """Inputs always; parameters only those run() names (all of them if it has **kwargs)."""
    try:
        sig = inspect.signature(run)
    except (TypeError, ValueError):
        return dict(params, **inputs)
    by_name = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    names = {p.name for p in sig.parameters.values() if p.kind in by_name}
    has_kwargs = any(p.kind == inspect.Parameter.VAR_KEYWORD for p in sig.parameters.values())
    for name in inputs:
        if name not in names and not has_kwargs:
            raise NodeProblem("run() in %s does not take the input %r; add a parameter "
                              "named %s to run()" % (file, name, name))
    args = {k: v for k, v in params.items() if has_kwargs or k in names}
    args.update(inputs)
    for p in sig.parameters.values():
        if p.kind in by_name and p.default is inspect.Parameter.empty and p.name not in args:
            raise NodeProblem("run() in %s needs %r, but no input or parameter has "
                              "that name" % (file, p.name))
    return args


def to_table(frame):
    """A DataFrame as an Arrow table; a meaningful index becomes columns."""
    idx = frame.index
    positional = idx.name is None and not isinstance(idx, pd.MultiIndex) and (
        isinstance(idx, pd.RangeIndex) or pd.api.types.is_integer_dtype(idx.dtype))
    if not positional:
        frame = frame.reset_index()
    return pa.Table.from_pandas(frame, preserve_index=False)


def write_table(frame, file, output_path):
    try:
        table = to_table(frame)
    except Exception as exc:
        raise NodeProblem("run() in %s returned a DataFrame that cannot be saved as Parquet: %s"
                          % (file, describe(exc)))
    if table.num_columns == 0:
        raise NodeProblem("run() in %s returned a DataFrame with no columns; return at least one column "
                          "(a DataFrame with columns and no rows is fine)" % file)
    parent = os.path.dirname(output_path)
    if parent:
        os.makedirs(parent, exist_ok=True)
    partial = output_path + ".partial"
    pq.write_table(table, partial)
    os.replace(partial, output_path)
    columns = [{"name": f.name, "type": str(f.type)} for f in table.schema]
    return {"kind": "table", "rows": table.num_rows, "columns": columns}


def scalar(value):
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def png_bytes(result, file):
    """A figure a report can show, as PNG bytes: a matplotlib Figure (or Axes), a plotly
    figure (which needs the kaleido package), or PNG bytes; None for anything else."""
    if isinstance(result, (bytes, bytearray, memoryview)):
        data = bytes(result)
        if not data.startswith(PNG_SIGNATURE):
            raise NodeProblem("run() in %s returned bytes that are not a PNG image; return PNG bytes, "
                              "a matplotlib figure or a plotly figure" % file)
        return data
    module = type(result).__module__ or ""
    # a Figure (or a seaborn grid) saves itself; matplotlib Axes belong to one
    figure = result if hasattr(result, "savefig") else getattr(result, "figure", None) if module.startswith("matplotlib") else None
    if figure is not None and hasattr(figure, "savefig"):
        import io
        buf = io.BytesIO()
        figure.savefig(buf, format="png", dpi=144, bbox_inches="tight", facecolor="white")
        try:
            import matplotlib.pyplot as plt
            plt.close(getattr(figure, "figure", figure))  # a warm worker must not keep every figure it ever drew
        except Exception:
            pass
        return buf.getvalue()
    if module.startswith("plotly") and hasattr(result, "to_image"):
        try:
            return result.to_image(format="png", scale=2)
        except Exception as exc:
            raise NodeProblem("run() in %s returned a plotly figure, which could not be saved as PNG (%s); "
                              "add kaleido to the workflow's requirements.txt, or return a matplotlib figure"
                              % (file, describe(exc)))
    return None


def write_figure(data, output_path):
    """Saves the PNG beside where a table would go (<node>.png), under a temporary name first."""
    path = os.path.splitext(output_path)[0] + ".png"
    parent = os.path.dirname(path)
    if parent:
        os.makedirs(parent, exist_ok=True)
    partial = path + ".partial"
    with open(partial, "wb") as f:
        f.write(data)
    os.replace(partial, path)
    width, height = (int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")) if len(data) >= 24 else (0, 0)
    return {"kind": "figure", "path": path, "bytes": len(data), "width": width, "height": height}


def convert_result(result, file, output_path):
    png = png_bytes(result, file)
    if png is not None:
        return write_figure(png, output_path)
    if isinstance(result, pd.Series):
        result = result.to_frame(name=result.name if result.name is not None else "value")
    if isinstance(result, pd.DataFrame):
        return write_table(result, file, output_path)
    if isinstance(result, np.generic):
        result = result.item()  # numpy scalar
    if result is None or result is pd.NA or result is pd.NaT or isinstance(result, (bool, int, float, str)):
        out = {"kind": "scalar", "value": scalar(result)}
        if isinstance(result, float) and not math.isfinite(result):
            # JSON has no NaN: say which one it was, so a metric can refuse it by name
            out["nonFinite"] = "NaN" if math.isnan(result) else "Infinity" if result > 0 else "-Infinity"
        return out
    name = type(result).__name__
    raise NodeProblem("run() in %s returned %s %s; %s" % (file, article(name), name, RESULT_HINT))


def execute(req):
    file = req["file"]
    try:
        compiled = compile(req["code"], file, "exec")
    except SyntaxError as exc:  # also IndentationError
        tb = "".join(traceback.format_exception_only(type(exc), exc))
        return error_response(type(exc).__name__, "%s (%s, line %s)" % (exc.msg, file, exc.lineno), tb)
    # tracebacks show source lines from linecache; the file need not exist on disk
    linecache.cache[file] = (len(req["code"]), None, req["code"].splitlines(True), file)
    cwd = os.getcwd()
    try:
        with warnings.catch_warnings():
            run = load_module(compiled, file)
            inputs = read_inputs(req["inputs"])
            args = arguments(run, file, inputs, req["params"])
            result = run(**args)
            return {"ok": True, "result": convert_result(result, file, req["outputPath"])}
    except NodeProblem as exc:
        return problem_response(exc)
    except BaseException as exc:  # noqa: B036 - user code may raise SystemExit and the like
        return error_response(type(exc).__name__, str(exc), user_traceback(exc))
    finally:
        sys.modules.pop(MODULE_NAME, None)
        linecache.cache.pop(file, None)
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
        try:
            os.chdir(cwd)
        except OSError:
            pass


def end_markers(req_id):
    """Marks the end of this request's output on stdout and stderr; False if that failed."""
    marker = ("\x1eaqueduct-end %d\n" % req_id).encode()
    try:
        for stream, fd in ((sys.__stdout__, 1), (sys.__stderr__, 2)):
            try:
                stream.flush()
            except Exception:
                pass
            os.write(fd, marker)
        return True
    except OSError:
        return False


def safe_json(obj):
    try:
        return json.dumps(obj, allow_nan=False)
    except (TypeError, ValueError) as exc:
        return json.dumps(dict(error_response("TypeError", "result is not JSON serialisable: %s" % exc)))


def exit_with_parent():
    """If the runner dies (even kill -9), its workers must not live on running user code."""
    import threading
    import time

    parent = os.getppid()

    def watch():
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(70)

    threading.Thread(target=watch, name="aqueduct-parent-watch", daemon=True).start()


def main():
    faulthandler.enable()  # a crash in native code still prints where the node was
    exit_with_parent()
    os.set_inheritable(CHANNEL_FD, False)
    requests = os.fdopen(CHANNEL_FD, "rb", closefd=False)
    out = os.fdopen(os.dup(CHANNEL_FD), "wb", buffering=0)

    def send(obj):
        out.write((safe_json(obj) + "\n").encode())

    v = sys.version_info
    if PACKAGE_PROBLEM is not None:
        name, exc = PACKAGE_PROBLEM
        missing = isinstance(exc, ImportError) and getattr(exc, "name", None) == name
        send({"type": "packages", "executable": sys.executable,
              "missing": [name] if missing else [],
              # worded as environment.ts's check words it
              "broken": {} if missing else {name: str(exc) if isinstance(exc, ImportError) else "%s: %s" % (type(exc).__name__, exc)}})
        return
    send({"type": "ready", "pid": os.getpid(), "version": "%d.%d.%d" % (v[0], v[1], v[2]),
          "pandas": pd.__version__, "pyarrow": pa.__version__})
    for line in requests:
        req = json.loads(line)
        response = execute(req)
        streams_ok = end_markers(req["id"])
        response["id"] = req["id"]
        response["streams"] = streams_ok
        send(response)
        if not streams_ok:
            return  # user code broke stdout/stderr; the runner starts a fresh worker


if __name__ == "__main__":
    main()
