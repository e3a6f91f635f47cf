"""Workflow parameters: defaults overridden by what the trigger gave, coerced to their
declared types by the same rules as runner/spec/validate.ts (coerceParam, resolveParams),
so `--param n=5` means the same thing on every engine."""
import datetime
import math
import re

from .values import js_number


class ParamError(Exception):
    def __init__(self, problems):
        super().__init__("invalid parameters:\n" + "\n".join("  - " + p for p in problems))
        self.problems = problems


def _number(value, s):
    if isinstance(value, bool):
        return math.nan
    if isinstance(value, (int, float)):
        return value
    if s is None or s == "":
        return math.nan
    try:
        return float(s) if not re.fullmatch(r"[+-]?\d+", s) else int(s)
    except ValueError:
        return math.nan


def coerce(type_name, value):
    """(ok, value or message) for one value of a declared type."""
    def bad(what):
        return False, "%s is not %s" % (_json(value), what)

    if value is None:
        return True, None
    s = value.strip() if isinstance(value, str) else None
    if type_name == "string":
        if isinstance(value, bool):
            return True, "true" if value else "false"
        if isinstance(value, (int, float)):
            return True, js_number(value)
        return True, str(value)
    if type_name in ("integer", "number"):
        n = _number(value, s)
        if isinstance(n, float) and not math.isfinite(n):
            return bad("an integer" if type_name == "integer" else "a number")
        if type_name == "integer":
            if isinstance(n, float) and not n.is_integer():
                return bad("an integer")
            return True, int(n)
        return True, int(n) if isinstance(n, float) and n.is_integer() and not isinstance(value, float) else n
    if type_name == "boolean":
        if isinstance(value, bool):
            return True, value
        if s in ("true", "1", "yes"):
            return True, True
        if s in ("false", "0", "no"):
            return True, False
        return bad("a boolean (true/false)")
    if type_name == "date":
        if s and re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
            try:
                datetime.date.fromisoformat(s)
                return True, s
            except ValueError:
                pass
        return bad("a date (YYYY-MM-DD)")
    return False, "unknown parameter type %s" % type_name


def resolve(declared, overrides):
    """The run's parameter values; raises ParamError naming every bad or unknown one."""
    problems = []
    for name in overrides:
        if name not in declared:
            known = ", ".join(declared) or "none declared"
            problems.append('unknown parameter "%s" (known: %s)' % (name, known))
    values = {}
    for name, spec in declared.items():
        given = overrides[name] if name in overrides else spec.get("default")
        if given is None and name not in overrides and "default" not in spec:
            problems.append('parameter "%s" has no default and no value was given' % name)
            continue
        ok, v = coerce(spec["type"], given)
        if ok:
            values[name] = v
        else:
            problems.append('parameter "%s": %s' % (name, v))
    if problems:
        raise ParamError(problems)
    return values


def parse_assignments(pairs):
    """`name=value` strings (from a command line) as a dict; values stay strings."""
    out = {}
    for p in pairs or []:
        if "=" not in p:
            raise ParamError(["--param %s: write it as name=value" % p])
        k, v = p.split("=", 1)
        out[k.strip()] = v
    return out


def _json(v):
    import json

    try:
        return json.dumps(v)
    except (TypeError, ValueError):
        return repr(v)
