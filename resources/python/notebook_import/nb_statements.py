"""Every top-level statement of a notebook, in order, with its role in a workflow and the
definition each name it reads comes from (reaching definitions: a name's last binding
or in-place change before the statement). Roles:

  import      gathered and placed in the nodes that need it
  const/func  a literal constant or a function defined once: copied into every node using it
  source      `name = pd.read_csv("local file")`: a source node
  publish     `name.to_csv(...)`, `.to_parquet`, `.to_excel`, `.to_sql`: a publish node
  connection  a database connection only publishes use: dropped
  display     an expression shown in the notebook (`df.head()`): left out
  plot        matplotlib / seaborn / DataFrame.plot: left out
  code        everything else: the body of a Python node
"""
import ast
import re

import nb_names as N

SOURCE_READERS = {"read_csv": "csv", "read_parquet": "parquet", "read_json": "json", "read_excel": "excel"}
PUBLISH_WRITERS = {"to_csv": "csv", "to_parquet": "parquet", "to_excel": "excel", "to_sql": "sql"}
CONNECTORS = {("sqlite3", "connect"): "sqlite", ("duckdb", "connect"): "duckdb", ("sqlalchemy", "create_engine"): "url"}
TABLE_TYPES = (N.DF, N.SERIES, N.GROUPBY, N.GROUPBY_SERIES, N.LOC, N.ACCESSOR)
CREDENTIALS = re.compile(r"(\w[\w+.-]*://)([^:/@\s'\"]*):([^@/\s'\"]+)@")


class Stmt:
    def __init__(self, index, cell, node):
        self.index = index
        self.cell = cell
        self.node = node
        decorators = getattr(node, "decorator_list", [])
        self.start = min([node.lineno] + [d.lineno for d in decorators])
        self.end = node.end_lineno
        self.role = "code"
        self.info = {}
        self.names = None
        self.reads = {}  # name -> index of the statement whose definition it reads (None: none)
        self.types = {}  # name -> type of the value this statement binds
        self.group = None

    def text(self):
        return "\n".join(self.cell.lines()[self.start - 1:self.end])

    def first_line(self):
        """The statement's first line for a message; passwords in URLs are masked (messages are saved)."""
        line = CREDENTIALS.sub(r"\1\2:***@", self.cell.lines()[self.start - 1].strip())
        return line if len(line) <= 80 else line[:77] + "..."


def string_arg(call, position, keyword):
    """The string constant given as the call's argument at `position` or as `keyword`."""
    node = call.args[position] if len(call.args) > position else None
    for k in call.keywords:
        if k.arg == keyword:
            node = k.value
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def keyword_value(call, name, default=None):
    for k in call.keywords:
        if k.arg == name:
            return k.value.value if isinstance(k.value, ast.Constant) else k.value
    return default


def classify(stmt, types, aliases):
    """Sets stmt.role (and stmt.info) from the statement's shape and the types known so far."""
    node = stmt.node
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        stmt.role = "import"
        stmt.info["star"] = any(a.name == "*" for a in node.names)
        return
    if is_plot(node, types):
        stmt.role = "plot"
        return
    target = node.targets[0].id if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) else None
    value = node.value if isinstance(node, ast.Assign) else None
    if target and isinstance(value, ast.Call):
        module, attr = N.call_name(value, aliases)
        top = module.split(".")[0] if module else None
        if top == "pandas" and attr in SOURCE_READERS:
            path = string_arg(value, 0, "filepath_or_buffer" if attr == "read_csv" else "path")
            if path is None:
                path = string_arg(value, 0, "io" if attr == "read_excel" else "path_or_buf")
            if path is not None and "://" not in path:
                options = [k.arg for k in value.keywords if k.arg not in ("filepath_or_buffer", "path", "io", "path_or_buf", "sheet_name", "engine")]
                sheet = keyword_value(value, "sheet_name")
                stmt.info.update(name=target, path=path, format=SOURCE_READERS[attr], sheet=sheet if isinstance(sheet, str) else None)
                if options or len(value.args) > 1 or (sheet is not None and not isinstance(sheet, str)):
                    stmt.info["options"] = options or ["positional arguments"]
                else:
                    stmt.role = "source"
                return
        if (top, attr) in CONNECTORS:
            target_text = string_arg(value, 0, "database")
            if target_text is not None:
                stmt.role = "connection"
                stmt.info.update(kind=CONNECTORS[(top, attr)], target=target_text)
                return
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Attribute):
        call = node.value
        if call.func.attr in PUBLISH_WRITERS and types.get(N.root_name(call.func.value)) == N.DF:
            stmt.role = "publish"
            stmt.info.update(writer=call.func.attr, direct=isinstance(call.func.value, ast.Name),
                             name=N.root_name(call.func.value), call=call)
            return
    if isinstance(node, ast.Expr) and is_display(node.value, types, aliases):
        stmt.role = "display"
        return
    if target and N.is_literal(value, {n for n, t in types.items() if t == N.CONST}):
        stmt.role = "const"
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        stmt.role = "func"


def is_plot(node, types):
    for n in ast.walk(node):
        if isinstance(n, ast.Name) and types.get(n.id) == N.PLOT:
            return True
        if isinstance(n, ast.Attribute) and n.attr in N.PLOT_METHODS:
            base = n.value
            if isinstance(base, ast.Attribute) and base.attr == "plot":
                return True
            if N.infer(base, types, {}) in TABLE_TYPES:
                return True
    return False


def is_display(value, types, aliases):
    """An expression whose only effect in a notebook is to be shown."""
    if not isinstance(value, ast.Call):
        return not isinstance(value, (ast.Await, ast.Yield, ast.YieldFrom))
    f = value.func
    if isinstance(f, ast.Name):
        return f.id == "display"
    if isinstance(f, ast.Attribute) and not N.has_inplace(value):
        base = N.infer(f.value, types, aliases)
        return base in TABLE_TYPES and f.attr not in N.TABLE_MUTATORS and not f.attr.startswith("to_")
    return False


def build(cells):
    """The statements of all parsed code cells, classified, with their reads resolved."""
    stmts, types, aliases, version = [], {}, {}, {}
    for cell in cells:
        if cell.type != "code" or cell.tree is None:
            continue
        for node in cell.tree.body:
            stmt = Stmt(len(stmts), cell, node)
            classify(stmt, types, aliases)
            stmt.names = N.statement_names(node, types, aliases)
            for name in stmt.names.uses + stmt.names.muts:
                if name not in stmt.reads:
                    stmt.reads[name] = version.get(name)
            bind_types(stmt, types, aliases)
            for name in stmt.names.defs + stmt.names.muts:
                version[name] = stmt.index
            stmts.append(stmt)
    return stmts


def bind_types(stmt, types, aliases):
    node = stmt.node
    if stmt.role == "import":
        for name, qualified in N.import_aliases(node).items():
            aliases[name] = qualified
            types[name] = N.PLOT if N.is_plot_module(qualified) else N.MODULE
        return
    for name in stmt.names.defs:
        if stmt.role == "plot":
            kind = N.PLOT
        elif stmt.role in ("source",):
            kind = N.DF
        elif stmt.role == "const":
            kind = N.CONST
        elif stmt.role == "func" or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            kind = N.function_type(node, types, aliases)
        else:
            kind = _assigned_type(node, name, types, aliases)
        types[name] = kind
        stmt.types[name] = kind
    for name in stmt.names.muts:
        stmt.types[name] = types.get(name, N.UNKNOWN)


def _assigned_type(node, name, types, aliases):
    """The type of the last simple `name = value` inside the statement; unknown otherwise."""
    found = None
    for n in ast.walk(node):
        if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name) and n.targets[0].id == name:
            found = N.infer(n.value, types, aliases)
        elif isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name) and n.target.id == name and n.value is not None:
            found = N.infer(n.value, types, aliases)
    if found is None:
        return N.UNKNOWN
    if found == N.UNKNOWN and types.get(name) == N.DF and not isinstance(node, ast.Assign):
        return N.DF  # reassigned inside a block: keep what it was
    return found


def settle_roles(stmts):
    """Constants and functions are copied only if defined once; connections dropped only if
    publishes (and close/commit calls) are all that use them."""
    counts = {}
    for s in stmts:
        if _is_close(s.node):
            continue  # closing a connection does not make it another value
        for name in set(s.names.defs + s.names.muts):
            counts[name] = counts.get(name, 0) + 1
    for s in stmts:
        if s.role in ("const", "func", "connection") and any(counts.get(n, 0) > 1 for n in s.names.defs):
            s.role = "code"
    portable = {s.index for s in stmts if s.role in ("const", "func", "import")}
    changed = True
    while changed:  # a function is portable only if what it reads is
        changed = False
        for s in stmts:
            if s.role == "func" and any(d is not None and d not in portable for d in s.reads.values()):
                s.role = "code"
                portable.discard(s.index)
                changed = True
    for s in stmts:
        if s.role != "connection":
            continue
        users = [u for u in stmts if s.index in u.reads.values() and u is not s]
        closers = [u for u in users if u.role != "publish"]
        if all(_is_close(u.node) for u in closers):
            for u in closers:
                u.role = "connection"
        else:
            s.role = "code"
    return counts


def _is_close(node):
    return (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Attribute)
            and node.value.func.attr in ("close", "commit", "dispose") and isinstance(node.value.func.value, ast.Name))
