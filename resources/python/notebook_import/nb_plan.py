"""Cells grouped into nodes. A group runs from a cell where a node begins to the cell
before the next one. What a group hands to later groups (its exports) decides the graph:
one DataFrame becomes the node's output and an edge to each reader; anything else that
crosses (a fitted model, a number computed from data) cannot travel between nodes.

The suggestion starts a node after every cell whose DataFrame later cells use (and after
cells that read data files), skips cells that only show or plot things, takes the
markdown just above along, then joins groups until nothing but single DataFrames and
copyable constants crosses between them."""
import nb_names as N

READERS = ("code", "publish")
NOT_CROSSING = ("import", "const", "func", "source", "display", "plot", "connection")


def assign_groups(cells, stmts, starts):
    """Sets stmt.group and returns the groups as lists of cell indexes."""
    starts = sorted(set(s for s in starts if 0 <= s < len(cells)) | {0})
    groups, cell_group = [], {}
    for g, start in enumerate(starts):
        end = starts[g + 1] if g + 1 < len(starts) else len(cells)
        groups.append(list(range(start, end)))
        for i in range(start, end):
            cell_group[i] = g
    for s in stmts:
        s.group = cell_group[s.cell.index]
    return starts, groups


def exports(stmts):
    """group -> {name: [(defining statement, reading statement), ...]} of values leaving it."""
    out = {}
    for s in stmts:
        if s.role not in READERS:
            continue
        for name, d in s.reads.items():
            if d is None:
                continue
            definer = stmts[d]
            if definer.role in NOT_CROSSING:
                continue
            if definer.group != s.group or s.role == "publish":
                out.setdefault(definer.group, {}).setdefault(name, []).append((definer, s))
    return out


def split_exports(group_exports):
    """(DataFrame names, other names) among one group's exports."""
    frames, others = [], []
    for name, pairs in group_exports.items():
        definer = pairs[0][0]
        (frames if definer.types.get(name) == N.DF else others).append(name)
    return frames, others


def output_cells(stmts):
    """Cells that read a data file, or define a DataFrame a later cell or a publish reads."""
    out = set()
    for s in stmts:
        if s.role == "source":
            out.add(s.cell.index)
        if s.role not in READERS:
            continue
        for name, d in s.reads.items():
            if d is None:
                continue
            definer = stmts[d]
            if definer.role in NOT_CROSSING or definer.types.get(name) != N.DF:
                continue
            if definer.cell.index < s.cell.index or s.role == "publish":
                out.add(definer.cell.index)
    return out


def substantive(cell, stmts):
    return any(s.cell is cell and s.role in ("code", "source", "publish", "const", "func") for s in stmts)


def suggest(cells, stmts):
    starts = [0]
    for c in sorted(output_cells(stmts)):
        following = [cell.index for cell in cells[c + 1:] if cell.type == "code" and substantive(cell, stmts)]
        if not following:
            continue
        start = following[0]
        while start - 1 > c and cells[start - 1].type == "markdown":
            start -= 1
        starts.append(start)
    while True:
        starts, groups = assign_groups(cells, stmts, starts)
        leaving = exports(stmts)
        for g in range(len(groups) - 1):
            mine = leaving.get(g, {})
            frames, others = split_exports(mine)
            # joining with the next group helps only with what later groups read
            later = {name for name, pairs in mine.items() if any(r.group > g for _, r in pairs)}
            if later & set(others) or (len(frames) > 1 and later & set(frames)):
                del starts[g + 1]
                break
        else:
            return starts
