"""Values as the local runner (JavaScript) shows them: numbers printed the way JS prints
them, so messages such as "metric m = 2000 is below its lower bound 2500" match word for
word, parameter values bound to SQL with the types the Node DuckDB client picks, and error
texts clipped by the local rule (runner/exec/error-text.ts)."""
import datetime
import decimal
import json
import math


def js_number(x):
    """A number as JavaScript's String(x) writes it (2000, 0.5, 1e-7)."""
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, int):
        return str(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x.is_integer() and abs(x) < 1e21:
        return str(int(x))
    r = repr(x)
    if "e" in r:
        mant, exp = r.split("e")
        e = int(exp)
        if -7 < e < 0:  # JS writes 0.000001 where Python writes 1e-06
            sign = "-" if mant.startswith("-") else ""
            return sign + "0." + "0" * (-e - 1) + mant.lstrip("-").replace(".", "")
        r = "%se%s%d" % (mant, "-" if e < 0 else "+", abs(e))
    return r


def js_json(v):
    """JSON.stringify of a plain value (numbers as JS writes them)."""
    if isinstance(v, float) or (isinstance(v, int) and not isinstance(v, bool)):
        return js_number(v) if math.isfinite(v) else "null"
    return json.dumps(v, ensure_ascii=False, default=str)


def bind_value(v):
    """A parameter value as the Node client binds it: JS has one number type, so an
    integral number binds as INTEGER/BIGINT, any other as DOUBLE."""
    if isinstance(v, float) and v.is_integer() and abs(v) < 2 ** 63:
        return int(v)
    return v


def plain(v):
    """A DuckDB result value as JSON-able data, as the Node client's JSON rows give it."""
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return v
    if isinstance(v, decimal.Decimal):
        return str(v)
    if isinstance(v, (datetime.date, datetime.datetime, datetime.time)):
        return v.isoformat()
    if isinstance(v, datetime.timedelta):
        return str(v)
    if isinstance(v, (bytes, bytearray, memoryview)):
        return bytes(v).hex()
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, dict):
        return {str(k): plain(x) for k, x in v.items()}
    return str(v)


MAX_ERROR_CHARS = 8192
MAX_SUMMARY_CHARS = 200


def clip_text(text, limit=MAX_ERROR_CHARS):
    """text itself when short; else its head and tail with a marker saying how much was cut."""
    if len(text) <= limit:
        return text
    keep = limit // 2
    return "%s\n… [%d characters cut] …\n%s" % (text[:keep], len(text) - 2 * keep, text[-keep:])


def clip_error(error):
    return {k: clip_text(v) if isinstance(v, str) else v for k, v in error.items()}


def summary_line(text, limit=MAX_SUMMARY_CHARS):
    """The first line of a message, at most 200 characters: what a run's error quotes."""
    first = text.split("\n", 1)[0]
    return first[:limit - 1] + "…" if len(first) > limit else first
