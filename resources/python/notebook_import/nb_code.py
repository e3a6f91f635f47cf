"""The text of a Python node made from a group of cells: the imports and copied constants
and functions it needs at module level, then `def run(<inputs>)` holding the cells' code
as written (comments kept; lines that became other nodes or were left out removed),
returning the group's DataFrame."""
import io
import keyword
import tokenize

REMOVED_ROLES = ("import", "const", "func", "source", "publish", "display", "plot", "connection")


def needed_definitions(body, stmts):
    """Import, constant and function statements the body reads, directly or through them."""
    seen, todo = set(), list(body)
    while todo:
        s = todo.pop()
        for d in s.reads.values():
            if d is None or d in seen:
                continue
            definer = stmts[d]
            if definer.role in ("import", "const", "func"):
                seen.add(d)
                todo.append(definer)
    return [stmts[i] for i in sorted(seen)]


def continuation_lines(text):
    """Line numbers (1-based) that continue a multi-line string: indenting them would change it."""
    lines = set()
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.start[0] < tok.end[0] and tok.type != tokenize.NL:
                lines.update(range(tok.start[0] + 1, tok.end[0] + 1))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return lines


def apply_replacements(lines, replacements):
    """Replaces byte ranges (ast column offsets are UTF-8 byte offsets) on single lines."""
    for line_no, start, end, text in sorted(replacements, key=lambda r: (r[0], -r[1])):
        raw = lines[line_no - 1].encode("utf-8")
        lines[line_no - 1] = (raw[:start] + text.encode("utf-8") + raw[end:]).decode("utf-8")
    return lines


def cell_body(cell, stmts, replacements):
    """The cell's lines without those of statements that went elsewhere, indented into run()."""
    lines = apply_replacements(cell.lines(), replacements.get(cell.index, []))
    drop = set()
    for s in stmts:
        if s.cell is cell and s.role in REMOVED_ROLES:
            drop.update(range(s.start, s.end + 1))
    keep_as_is = continuation_lines(cell.python)
    out = []
    for n, line in enumerate(lines, start=1):
        if n in drop:
            continue
        if n in keep_as_is or not line.strip():
            out.append(line if line.strip() else "")
        else:
            out.append("    " + line)
    while out and not out[0].strip():
        out.pop(0)
    while out and not out[-1].strip():
        out.pop()
    squeezed = []
    for line in out:
        if not line and squeezed and not squeezed[-1]:
            continue
        squeezed.append(line)
    return squeezed


def param_name(node_id):
    return node_id + "_" if keyword.iskeyword(node_id) else node_id


def python_node(notebook, group_cells, body, stmts, inputs, output, replacements):
    """inputs: [(node id, variable name)]; output: the variable the node returns."""
    definitions = needed_definitions(body, stmts)
    import_texts, seen = [], set()
    binds_pd = False
    for s in stmts:
        if s.role != "import":
            continue
        binds = "pd" in s.names.defs
        binds_pd = binds_pd or binds
        if s in definitions or binds or s.info.get("star"):
            text = s.text()
            if text not in seen:
                seen.add(text)
                import_texts.append(text)
    if not binds_pd:
        import_texts.insert(0, "import pandas as pd")
    hoisted = [s.text() for s in definitions if s.role in ("const", "func")]
    numbers = [c.number for c in group_cells]
    span = "cell %d" % numbers[0] if len(numbers) == 1 else "cells %d-%d" % (numbers[0], numbers[-1])
    parts = ["# From %s, %s (imported by Aqueduct).\n%s" % (notebook, span, "\n".join(import_texts))]
    if hoisted:
        parts.append("\n\n".join(hoisted))
    params = ", ".join("%s: pd.DataFrame" % param_name(node_id) for node_id, _ in inputs)
    lines = ["def run(%s) -> pd.DataFrame:" % params]
    for node_id, variable in inputs:
        if param_name(node_id) != variable:
            lines.append("    %s = %s" % (variable, param_name(node_id)))
    for cell in group_cells:
        body_lines = cell_body(cell, stmts, replacements)
        if body_lines:
            lines.append("    # cell %d" % cell.number)
            lines.extend(body_lines)
    lines.append("    return %s" % output)
    parts.append("\n".join(lines))
    return "\n\n\n".join(p for p in parts if p) + "\n"
