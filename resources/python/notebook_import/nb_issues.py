"""Issues about the notebook as a whole, each with what to do: IPython-only lines, cells
that are not Python, plots and displayed values left out, names used before any cell
sets them, and state that changes across nodes."""
import nb_names as N
from nb_nodes import _numbers, issue


def cell_issues(cells, stmts):
    out = []
    for cell in cells:
        if cell.type != "code":
            continue
        if cell.cell_magic is not None and not cell.python:
            out.append(issue("cell-magic", "a %%%%%s cell is not Python, so it was left out" % cell.cell_magic,
                             "run it outside the workflow, or rewrite it in Python", cell, 1))
            continue
        if cell.syntax_error:
            line, msg = cell.syntax_error
            out.append(issue("syntax", "the cell is not valid Python (line %d: %s), so it was left out" % (line, msg),
                             "fix the cell in the notebook and import it again", cell, line))
        others = cell.magics
        if cell.pip_lines:
            packages = ", ".join(cell.requirements) or "no packages"
            out.append(issue("pip", "%s became requirements.txt (%s)" % (cell.pip_lines[0], packages),
                             "check requirements.txt in the workflow folder; the workflow's Python needs these packages", cell, None))
        if others:
            texts = ", ".join(text for _, text in others[:3]) + (", ..." if len(others) > 3 else "")
            out.append(issue("magic", "IPython line%s left out: %s" % ("s" if len(others) > 1 else "", texts),
                             "a workflow runs plain Python; if a line set something up, write that in Python", cell, others[0][0]))
    plots = {}
    for s in stmts:
        if s.role == "plot":
            plots.setdefault(s.cell.index, []).append(s)
    for index, found in plots.items():
        cell = found[0].cell
        out.append(issue("plot", "the plot (%s) was left out" % found[0].first_line(),
                         "look at the node's output in the app after a run, or save the figure to a file from a Python node", cell, found[0].start))
    shown = sorted({s.cell.number for s in stmts if s.role == "display"})
    if shown:
        example = next(s for s in stmts if s.role == "display").first_line()
        out.append(issue("display", "values the notebook only shows (%s, ...) in %s %s were left out"
                         % (example, "cell" if len(shown) == 1 else "cells", _numbers(shown)),
                         "after a run, open a node's Output tab to see its table", None, None))
    for s in stmts:
        if s.role == "import" and s.info.get("star"):
            out.append(issue("star-import", "%s was copied into every Python node" % s.first_line(),
                             "import the names you use instead of *", s.cell, s.start))
    return out


def name_issues(stmts):
    """Names read before any cell sets them, and names changed in several nodes."""
    out, reported = [], set()
    defined_at = {}
    for s in stmts:
        for name in s.names.defs + s.names.muts:
            defined_at.setdefault(name, []).append(s)
    for s in stmts:
        if s.role not in ("code", "publish", "const", "func"):
            continue
        for name, d in s.reads.items():
            if d is not None or name in N.BUILTINS or name in reported:
                continue
            reported.add(name)
            later = [t for t in defined_at.get(name, []) if t.index > s.index]
            if later:
                out.append(issue("out-of-order", "%s is used here but set only later, in cell %d: the notebook ran its cells out of order"
                                 % (name, later[0].cell.number),
                                 "move cell %d above cell %d in the notebook and import it again" % (later[0].cell.number, s.cell.number), s.cell, s.start))
            else:
                out.append(issue("undefined", "%s is used here but no cell sets it (hidden state from a cell that was deleted or never saved?)"
                                 % name, "add a cell that sets %s and import the notebook again" % name, s.cell, s.start))
    for name, setters in defined_at.items():
        setters = [t for t in setters if t.role in ("code", "source")]
        groups = sorted({t.group for t in setters})
        if len(groups) < 2:
            continue
        cells = sorted({t.cell.number for t in setters})
        out.append(issue("hidden-state", "%s is changed in cells %s, which are in different nodes: each node gets the version the node before it left, "
                         "while the notebook used whatever cell ran last" % (name, _numbers(cells)),
                         "check that each node reads the version you meant, or give each version its own name in the notebook", setters[0].cell, setters[0].start))
    return out
