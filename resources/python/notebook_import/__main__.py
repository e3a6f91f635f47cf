"""Reads a notebook's cells (JSON on stdin) and prints (JSON on stdout) how they map to a
workflow: the suggested cells where nodes begin, the nodes for the starts asked for (or
the suggestion), the requirements from `!pip install` lines, and every issue with what
to do. It only reads the code with `ast`; it never runs it.

Input:  {"notebook": "churn.ipynb", "cells": [{"cell_type", "source", "metadata"}],
         "starts": [cell indexes] or null, "baseDir": folder of the notebook or null}
Run as: python -I -B resources/python/notebook_import  (stdlib only, Python 3.9+)"""
import json
import sys

import nb_cells
import nb_exported
import nb_issues
import nb_nodes
import nb_plan
import nb_statements


def analyze(request):
    cells = [nb_cells.prepare(i, c) for i, c in enumerate(request["cells"])]
    notebook = request.get("notebook") or "notebook.ipynb"
    if nb_exported.is_exported(cells):
        return nb_exported.plan(cells, request)
    title = nb_cells.title_of(cells)
    stmts = nb_statements.build(cells)
    nb_statements.settle_roles(stmts)
    suggested = nb_plan.suggest(cells, stmts)
    starts, groups = nb_plan.assign_groups(cells, stmts, request.get("starts") or suggested)
    nodes, issues = nb_nodes.Builder(cells, stmts, groups, notebook, request.get("baseDir"), title[2] if title else None).build()
    issues = nb_issues.cell_issues(cells, stmts) + issues + nb_issues.name_issues(stmts)
    requirements = []
    for cell in cells:
        for r in cell.requirements:
            if r not in requirements:
                requirements.append(r)
    return {
        "name": title[0] if title else None,
        "description": (title[1] or None) if title else None,
        "suggested": suggested,
        "starts": starts,
        "groups": [{"start": g[0], "cells": g, "nodes": [n["id"] for n in nodes if set(n["cells"]) & set(g)]} for g in groups],
        "nodes": nodes,
        "parameters": {},
        "requirements": requirements,
        "issues": sorted(issues, key=lambda i: (i["cell"] if i["cell"] is not None else 1 << 30, i["line"] or 0)),
        "exported": False,
    }


def main():
    sys.stdin.reconfigure(encoding="utf-8")
    sys.stdout.reconfigure(encoding="utf-8")
    request = json.load(sys.stdin)
    json.dump(analyze(request), sys.stdout)


if __name__ == "__main__":
    main()
