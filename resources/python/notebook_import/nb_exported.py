"""Notebooks Aqueduct exported (runner/notebooks/export-notebook.ts) come back as the
workflow they were made from: each node's cell carries its definition in the cell's
metadata (`aqueduct.node`), and its code sits between marker comments (Python) or in
the string given to `aq.sql(...)` / `aq.scalar(...)` (SQL). Code edited in the notebook
is what is imported."""
import ast
import re

import nb_nodes

BEGIN = re.compile(r"^# ---- (?!end of )(.+) ----\s*$")
END = re.compile(r"^# ---- end of (.+) ----\s*$")
SPEC_FIELDS = ("description", "file", "format", "sheet", "connection", "query", "destination", "mode", "key",
               "severity", "bounds", "timeout", "retries")


def is_exported(cells):
    return any(isinstance(c.metadata.get("aqueduct"), dict) and c.metadata["aqueduct"].get("node") for c in cells)


def python_code(cell):
    lines = cell.source.split("\n")
    begin = next((i for i, line in enumerate(lines) if BEGIN.match(line)), None)
    end = next((i for i, line in enumerate(lines) if END.match(line)), None)
    if begin is not None and end is not None and begin < end:
        return "\n".join(lines[begin + 1:end]).strip("\n") + "\n"
    return None


def sql_code(cell):
    try:
        tree = ast.parse(cell.source)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("sql", "scalar")
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "aq" and node.args
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            text = node.args[0].value
            return text[1:] if text.startswith("\n") else text  # the line break after the opening quotes
    return None


def plan(cells, request):
    meta = request.get("metadata") or {}
    nodes, issues, starts = [], [], [0]
    for cell in cells:
        info = cell.metadata.get("aqueduct") if isinstance(cell.metadata.get("aqueduct"), dict) else {}
        node_id, kind = info.get("node"), info.get("kind")
        if not node_id:
            if cell.type == "code" and cell.source.strip() and not info.get("setup"):
                issues.append(nb_nodes.issue("left-out", "cell %d is not one of the exported workflow's nodes, so it was left out" % cell.number,
                                             "put its code into a node's cell, or import the notebook without Aqueduct's cell metadata", cell, None))
            continue
        start = cell.index
        while start - 1 >= 0 and cells[start - 1].type == "markdown" and start - 1 not in starts:
            start -= 1
        starts.append(start)
        node = {"id": node_id, "kind": kind, "inputs": list(info.get("inputs") or []), "cells": [cell.index]}
        spec = info.get("spec") or {}
        for field in SPEC_FIELDS:
            if field in spec:
                node[field] = spec[field]
        if kind == "source" and info.get("path"):
            node["file"] = info["path"]
        language = info.get("language")
        if language:
            code = python_code(cell) if language == "python" else sql_code(cell)
            if code is None:
                issues.append(nb_nodes.issue("left-out", "the code of node %s could not be found in cell %d (its marker lines were changed)" % (node_id, cell.number),
                                             "restore the '# ---- ... ----' lines around the node's code, or write the code in the editor after importing", cell, None))
                code = ""
            node["code"] = code
            node["language"] = language
        nodes.append(node)
    starts = sorted(set(starts))
    groups = [list(range(s, (starts[i + 1] if i + 1 < len(starts) else len(cells)))) for i, s in enumerate(starts)]
    return {
        "name": meta.get("workflow"),
        "description": meta.get("description"),
        "suggested": starts,
        "starts": starts,
        "groups": [{"start": g[0], "cells": g, "nodes": [n["id"] for n in nodes if set(n["cells"]) & set(g)]} for g in groups],
        "nodes": nodes,
        "parameters": meta.get("parameters") or {},
        "requirements": list(meta.get("requirements") or []),
        "issues": issues,
        "exported": True,
    }
