"""The workflow's nodes from the grouped statements: sources, one Python node per group
that hands a DataFrame on, publishes; and an issue, with what to do, for everything that
could not be mapped."""
import ast
import os
import re

import nb_code
import nb_names as N
import nb_plan
from nb_statements import keyword_value, string_arg

FILE_DESTINATIONS = {"to_csv": "csv", "to_parquet": "parquet", "to_excel": "excel"}
MODES = {"replace": "replace", "append": "append", "fail": "fail_if_exists"}


def issue(kind, message, fix, cell=None, line=None):
    return {"kind": kind, "cell": cell.number if cell is not None else None, "line": line, "message": message, "fix": fix}


class Ids:
    """lower_snake_case node ids, unique within the workflow."""

    def __init__(self):
        self.used = set()

    def make(self, name):
        base = re.sub(r"[^a-z0-9_]", "_", name.lower()) or "node"
        if base[0].isdigit():
            base = "_" + base
        node_id, n = base, 2
        while node_id in self.used:
            node_id, n = "%s_%d" % (base, n), n + 1
        self.used.add(node_id)
        return node_id


def description(cells, indexes, skip):
    texts = [cells[i].markdown for i in indexes if cells[i].type == "markdown" and i != skip and cells[i].markdown]
    return "\n\n".join(texts) or None


class Builder:
    def __init__(self, cells, stmts, groups, notebook, base_dir, title_cell):
        self.cells, self.stmts, self.groups = cells, stmts, groups
        self.notebook, self.base_dir, self.title_cell = notebook, base_dir, title_cell
        self.ids = Ids()
        self.node_of = {}  # (variable, defining statement) -> node id
        self.nodes, self.issues = [], []
        self.replacements = {}
        self.leaving = nb_plan.exports(stmts)

    def build(self):
        for s in self.stmts:
            if s.info.get("options"):
                self.source_in_python(s)
        for g, indexes in enumerate(self.groups):
            group = [s for s in self.stmts if s.group == g]
            made = [self.source(s) for s in group if s.role == "source"]
            python = self.python(g, group)
            if python:
                made.append(python)
            made += [p for p in (self.publish(s) for s in group if s.role == "publish") if p]
            text = description(self.cells, indexes, self.title_cell)
            if made and text:
                made[0]["description"] = text
        return self.nodes, self.issues

    def add(self, node):
        self.nodes.append(node)
        return node

    def source(self, s):
        node_id = self.ids.make(s.info["name"])
        self.node_of[(s.info["name"], s.index)] = node_id
        node = {"id": node_id, "kind": "source", "inputs": [], "file": s.info["path"], "format": s.info["format"], "cells": [s.cell.index]}
        if s.info.get("sheet"):
            node["sheet"] = s.info["sheet"]
        return self.add(node)

    def source_in_python(self, s):
        opts = ", ".join(o if o == "positional arguments" else o + "=..." for o in s.info["options"])
        path = s.info["path"]
        where = path
        if self.base_dir and not os.path.isabs(path):
            where = os.path.normpath(os.path.join(self.base_dir, path))
            call = s.node.value
            arg = call.args[0] if call.args else next(k.value for k in call.keywords if isinstance(k.value, ast.Constant))
            if arg.lineno == arg.end_lineno:
                self.replacements.setdefault(s.cell.index, []).append((arg.lineno, arg.col_offset, arg.end_col_offset, repr(where)))
        self.issues.append(issue(
            "source-options",
            "%s = pd.read_%s(%r, %s) reads with options a source node does not take, so it stays in Python code reading %s"
            % (s.info["name"], s.info["format"], path, opts, where),
            "to make it a source node, read the file without options and do the rest in the Python node",
            s.cell, s.start))

    def python(self, g, group):
        body = [s for s in group if s.role == "code"]
        frames, others = nb_plan.split_exports(self.leaving.get(g, {}))
        for name in others:
            self.crossing_issue(name, self.leaving[g][name])
        if not frames:
            # nothing later reads: the group's last DataFrame is a result of its own (a leaf node)
            leaves = [(name, s) for s in body for name in s.names.defs + s.names.muts if s.types.get(name) == N.DF]
            if leaves:
                name, definer = leaves[-1]
                self.leaving.setdefault(g, {})[name] = [(definer, definer)]
                frames = [name]
        if not frames:
            if body:
                cells = sorted({s.cell.number for s in body})
                first = body[0]
                self.issues.append(issue(
                    "left-out",
                    ("this code defines no DataFrame that later cells use, so it was left out: %s" % first.first_line()) if len(cells) == 1 else
                    ("cells %s define no DataFrame that later cells use, so their code was left out (first line: %s)" % (_numbers(cells), first.first_line())),
                    "if that code matters, start its node earlier so it joins a node that hands on a DataFrame",
                    first.cell, first.start))
            return None
        last = {name: max(d.index for d, _ in self.leaving[g][name]) for name in frames}
        output = max(frames, key=lambda n: last[n])
        for name in frames:
            if name != output:
                definer = self.leaving[g][name][0][0]
                self.issues.append(issue(
                    "multi-output",
                    "%s is used after this cell, but its node already hands on %s: a node has one output table"
                    % (name, output),
                    "start a new node at the cell that defines %s, or split the cell so each DataFrame has cells of its own" % name,
                    definer.cell, definer.start))
        node_id = self.ids.make(output)
        for definer, _ in self.leaving[g][output]:
            self.node_of[(output, definer.index)] = node_id
        inputs = self.inputs(g, body)
        cells = [self.cells[i] for i in self.groups[g] if self.cells[i].type == "code" and any(s.cell.index == i for s in body)]
        code = nb_code.python_node(self.notebook, cells, body, self.stmts, inputs, output, self.replacements)
        return self.add({"id": node_id, "kind": "python", "inputs": [i for i, _ in inputs], "code": code, "cells": [c.index for c in cells]})

    def inputs(self, g, body):
        found = []
        for s in body:
            for name, d in s.reads.items():
                if d is None:
                    continue
                definer = self.stmts[d]
                crosses = definer.group != g and definer.role not in nb_plan.NOT_CROSSING and definer.types.get(name) == N.DF
                if definer.role == "source" or crosses:
                    node_id = self.node_of.get((name, d))
                    if node_id and (node_id, name) not in found:
                        found.append((node_id, name))
        return found

    def crossing_issue(self, name, pairs):
        definer = pairs[0][0]
        readers = sorted({r.cell.number for _, r in pairs if r.group != definer.group})
        if not readers:
            return
        kind = definer.types.get(name, N.UNKNOWN)
        what = {N.SERIES: "a Series", N.CONST: "a value"}.get(kind, "not a DataFrame")
        self.issues.append(issue(
            "global",
            "%s is set here and used in %s %s, in another node; it is %s, and nodes pass only DataFrames to each other"
            % (name, "cell" if len(readers) == 1 else "cells", _numbers(readers), what),
            "keep cell %d and cell %d in one node (don't start a node between them), or turn %s into a DataFrame column"
            % (definer.cell.number, readers[0], name),
            definer.cell, definer.start))

    def publish(self, s):
        info, call = s.info, s.info["call"]
        if not info["direct"]:
            self.issues.append(issue(
                "publish", "%s writes an expression, not a named DataFrame, so it was left out" % s.first_line(),
                "assign the result to a name in its own cell, then write that name", s.cell, s.start))
            return None
        name = info["name"]
        d = s.reads.get(name)
        input_id = self.node_of.get((name, d))
        if input_id is None:
            self.issues.append(issue(
                "publish", "%s writes %s, which is not the output of a node here, so it was left out" % (s.first_line(), name),
                "start a node at the cell that defines %s so that it becomes a node's output" % name, s.cell, s.start))
            return None
        destination, mode = self.destination(s, info["writer"], call)
        if destination is None:
            return None
        node_id = self.ids.make("%s_%s" % (input_id, destination["type"]))
        index = keyword_value(call, "index", True)
        if index is not False and not (info["writer"] == "to_parquet"):
            self.issues.append(issue(
                "publish-index",
                "%s also wrote the DataFrame's index as a column; publish node %s writes only the columns" % (s.first_line(), node_id),
                "if you need the index, add reset_index() at the end of node %s" % input_id, s.cell, s.start))
        return self.add({"id": node_id, "kind": "publish", "inputs": [input_id], "destination": destination, "mode": mode, "cells": [s.cell.index]})

    def destination(self, s, writer, call):
        if writer in FILE_DESTINATIONS:
            path = string_arg(call, 0, {"to_csv": "path_or_buf", "to_parquet": "path", "to_excel": "excel_writer"}[writer])
            if path is None or "://" in path:
                self.issues.append(issue(
                    "publish", "%s writes to a path the import cannot read (not a plain file name), so it was left out" % s.first_line(),
                    "add a publish node by hand in the editor", s.cell, s.start))
                return None, None
            dest = {"type": FILE_DESTINATIONS[writer], "path": path}
            if writer == "to_excel":
                sheet = keyword_value(s.info["call"], "sheet_name", "Sheet1")
                dest["sheet"] = sheet if isinstance(sheet, str) else "Sheet1"
            return dest, "replace"
        return self.sql_destination(s, call)

    def sql_destination(self, s, call):
        table = string_arg(call, 0, "name")
        con = call.args[1] if len(call.args) > 1 else next((k.value for k in call.keywords if k.arg == "con"), None)
        target = None
        if isinstance(con, ast.Constant) and isinstance(con.value, str):
            target = ("url", con.value, "database")
        elif isinstance(con, ast.Name) and s.reads.get(con.id) is not None:
            definer = self.stmts[s.reads[con.id]]
            if definer.info.get("kind"):
                target = (definer.info["kind"], definer.info["target"], con.id)
        if table is None or target is None:
            self.issues.append(issue(
                "publish", "%s writes to a database connection the import cannot read, so it was left out" % s.first_line(),
                "add a publish node by hand in the editor and choose its connection", s.cell, s.start))
            return None, None
        if_exists = keyword_value(call, "if_exists", "fail")
        mode = MODES.get(if_exists, "replace")
        if if_exists == "fail":
            self.issues.append(issue(
                "publish-mode", "%s used to_sql's default if_exists='fail', so the publish fails once the table exists" % s.first_line(),
                "set the publish node's mode to replace or append to run the workflow more than once", s.cell, s.start))
        kind, where, conn_name = target
        if kind == "url":
            m = re.match(r"^sqlite:///(.*)$", where)
            if m and m.group(1) and m.group(1) != ":memory:":
                return {"type": "sqlite", "path": m.group(1), "table": table}, mode
            m = re.match(r"^(postgres(?:ql)?|mysql|mariadb)(?:\+\w+)?://", where)
            if not m:
                self.issues.append(issue(
                    "publish", "%s writes to %s, which the import cannot map" % (s.first_line(), where.split("://")[0]),
                    "add a publish node by hand in the editor", s.cell, s.start))
                return None, None
            system = "postgres" if m.group(1).startswith("postgres") else "mysql"
            name = re.sub(r"[^a-z0-9_]", "_", conn_name.lower())
            self.issues.append(issue(
                "connection", "the publish of table %s needs a saved %s connection named %s (passwords are never copied from a notebook)" % (table, system, name),
                "add connection %s under Connections (or with aqueduct connections add)" % name, s.cell, s.start))
            return {"type": system, "connection": name, "table": table}, mode
        if where == ":memory:":
            self.issues.append(issue("publish", "%s writes to an in-memory database, which nothing reads afterwards; it was left out" % s.first_line(),
                                     "write to a database file instead", s.cell, s.start))
            return None, None
        return {"type": kind, "path": where, "table": table}, mode


def _numbers(numbers):
    numbers = [str(n) for n in numbers]
    return numbers[0] if len(numbers) == 1 else "%s and %s" % (", ".join(numbers[:-1]), numbers[-1])
