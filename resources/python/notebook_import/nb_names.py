"""What one top-level statement of a notebook does with names, read from its `ast`: the
names it binds, changes in place and reads (free names of nested functions included),
and a guess of each bound value's type (DataFrame, Series, constant, …). The guesses
are heuristics over pandas idioms; where they cannot tell, the type is "unknown", which
the planner treats like any non-DataFrame value (it keeps such cells in one node)."""
import ast
import builtins

DF, SERIES, CONST, OTHER, UNKNOWN = "df", "series", "const", "other", "unknown"
GROUPBY, GROUPBY_SERIES, LOC, ACCESSOR, MODULE, PLOT, FUNC = "groupby", "gseries", "loc", "accessor", "module", "plot", "func"
# a function that, given a DataFrame first, returns one (clean(df), add_features(df))
FUNC_DF = "func-df"

BUILTINS = set(dir(builtins)) | {"display", "get_ipython", "In", "Out", "_", "__", "___", "exit", "quit"}
PANDAS_DF_FUNCS = {"read_csv", "read_parquet", "read_json", "read_excel", "read_sql", "read_sql_query", "read_sql_table",
                   "read_table", "read_feather", "read_pickle", "read_fwf", "read_html", "read_orc", "read_stata",
                   "DataFrame", "concat", "merge", "merge_asof", "merge_ordered", "get_dummies", "pivot_table",
                   "crosstab", "json_normalize", "melt", "wide_to_long"}
DF_TO_DF = {"assign", "dropna", "fillna", "drop", "rename", "merge", "join", "copy", "query", "sort_values", "sort_index",
            "reset_index", "set_index", "head", "tail", "sample", "drop_duplicates", "astype", "filter", "pivot",
            "pivot_table", "melt", "round", "clip", "abs", "replace", "where", "mask", "select_dtypes", "reindex",
            "rename_axis", "explode", "nlargest", "nsmallest", "interpolate", "ffill", "bfill", "convert_dtypes",
            "infer_objects", "transpose", "describe", "corr", "cov", "diff", "pct_change", "shift", "cumsum", "rank",
            "isna", "isnull", "notna", "notnull", "add_prefix", "add_suffix", "truncate", "loc", "combine_first",
            "append", "stack", "unstack", "applymap", "map", "transform", "set_axis", "droplevel", "reorder_levels",
            "swaplevel", "to_frame", "agg", "aggregate", "groupby_apply"}
DF_TO_SERIES = {"sum", "mean", "median", "min", "max", "std", "var", "count", "nunique", "any", "all", "prod",
                "idxmax", "idxmin", "memory_usage", "duplicated", "dot", "squeeze"}
DF_TO_OTHER = {"to_csv", "to_parquet", "to_excel", "to_json", "to_sql", "to_dict", "to_numpy", "to_records",
               "to_string", "to_html", "to_markdown", "to_latex", "info", "equals", "itertuples", "iterrows", "items",
               "keys", "to_pickle", "to_feather", "to_clipboard"}
SERIES_TO_DF = {"to_frame", "reset_index", "unstack", "str_get_dummies"}
SERIES_TO_OTHER = {"sum", "mean", "median", "min", "max", "std", "var", "count", "nunique", "any", "all", "prod", "item",
                   "idxmax", "idxmin", "tolist", "to_list", "to_numpy", "to_dict", "unique", "quantile", "mode_scalar",
                   "to_csv", "to_json", "equals", "sem", "skew", "kurt", "first_valid_index", "last_valid_index"}
GROUPBY_TO_SERIES = {"size", "ngroups", "ngroup", "cumcount"}
DF_ATTRS_OTHER = {"shape", "columns", "index", "dtypes", "values", "empty", "size", "ndim", "axes", "attrs", "style",
                  "plot", "sparse", "flags"}
# methods that change the object they are called on
MUTATORS = {"insert", "update", "pop", "append", "extend", "remove", "clear", "sort", "fit", "fit_transform",
            "partial_fit", "add", "discard", "setdefault", "popitem", "set_params", "reverse"}
TABLE_MUTATORS = {"insert", "update", "pop"}
PLOT_MODULES = {"matplotlib", "seaborn", "plotly", "altair", "bokeh", "plotnine", "holoviews", "hvplot"}
PLOT_METHODS = {"plot", "hist", "boxplot", "scatter_matrix", "plot_date", "bar", "barh", "pie", "scatter"}


class StatementNames:
    """Names bound (`defs`), changed in place (`muts`) and read (`uses`) by one statement."""

    def __init__(self):
        self.defs = []
        self.muts = []
        self.uses = []

    def add(self, bucket, name):
        if name not in bucket:
            bucket.append(name)


def root_name(node):
    """`df` for df, df.x, df["a"].b, df.loc[...]; None when the chain starts elsewhere."""
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    if isinstance(node, ast.Call):
        return root_name(node.func)
    return node.id if isinstance(node, ast.Name) else None


def has_inplace(call):
    return any(k.arg == "inplace" and isinstance(k.value, ast.Constant) and k.value.value is True for k in call.keywords)


class _Scope(ast.NodeVisitor):
    """Collects loads and stores, treating names bound inside nested functions and
    comprehensions as local to them (their free names still count as reads)."""

    def __init__(self, names):
        self.names = names
        self.local = [set()]

    def _bound_locally(self, name):
        return any(name in scope for scope in self.local[1:])

    def visit_Name(self, node):
        if isinstance(node.ctx, ast.Load):
            if not self._bound_locally(node.id):
                self.names.add(self.names.uses, node.id)
        elif len(self.local) == 1:
            self.names.add(self.names.defs, node.id)
        else:
            self.local[-1].add(node.id)

    def _function(self, node, is_lambda=False):
        if not is_lambda:
            for d in node.decorator_list:
                self.visit(d)
            if len(self.local) == 1:
                self.names.add(self.names.defs, node.name)
            else:
                self.local[-1].add(node.name)
        args = node.args
        for d in args.defaults + [d for d in args.kw_defaults if d is not None]:
            self.visit(d)
        params = {a.arg for a in args.args + args.kwonlyargs + getattr(args, "posonlyargs", [])}
        params |= {a.arg for a in (args.vararg, args.kwarg) if a is not None}
        local = params | _assigned_in(node.body if not is_lambda else [node.body])
        self.local.append(local)
        for stmt in (node.body if not is_lambda else [node.body]):
            self.visit(stmt)
        self.local.pop()

    def visit_FunctionDef(self, node):
        self._function(node)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node):
        self._function(node, is_lambda=True)

    def visit_ClassDef(self, node):
        for b in node.bases + [k.value for k in node.keywords] + node.decorator_list:
            self.visit(b)
        if len(self.local) == 1:
            self.names.add(self.names.defs, node.name)
        self.local.append(_assigned_in(node.body))
        for stmt in node.body:
            self.visit(stmt)
        self.local.pop()

    def _comprehension(self, node, parts):
        targets = set()
        for gen in node.generators:
            for n in ast.walk(gen.target):
                if isinstance(n, ast.Name):
                    targets.add(n.id)
        self.visit(node.generators[0].iter)
        self.local.append(targets)
        for gen in node.generators:
            for i, cond in enumerate([gen.iter] + gen.ifs):
                if not (gen is node.generators[0] and i == 0):
                    self.visit(cond)
        for p in parts:
            self.visit(p)
        self.local.pop()

    def visit_ListComp(self, node):
        self._comprehension(node, [node.elt])

    visit_SetComp = visit_GeneratorExp = visit_ListComp

    def visit_DictComp(self, node):
        self._comprehension(node, [node.key, node.value])

    def visit_Import(self, node):
        for alias in node.names:
            name = alias.asname or alias.name.split(".")[0]
            if name != "*":
                self.names.add(self.names.defs, name)

    visit_ImportFrom = visit_Import

    def visit_Global(self, node):
        pass


def _assigned_in(body):
    found = set()
    for stmt in body:
        for n in ast.walk(stmt):
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
                found.add(n.id)
            elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                found.add(n.name)
    return found


def _outer_nodes(stmt):
    """Every node of a statement except those inside functions, lambdas and classes it defines."""
    todo = [stmt]
    while todo:
        node = todo.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
                todo.append(child)


def statement_names(stmt, types, aliases):
    """The names of one top-level statement; `types` (name → type) tells DataFrames apart."""
    names = StatementNames()
    _Scope(names).visit(stmt)
    for node in _outer_nodes(stmt):
        target = None
        if isinstance(node, (ast.Subscript, ast.Attribute)) and isinstance(node.ctx, (ast.Store, ast.Del)):
            target = root_name(node.value)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            receiver = root_name(node.func.value)
            kind = types.get(receiver)
            table = kind in (DF, SERIES, GROUPBY, GROUPBY_SERIES)
            mutator = node.func.attr in (TABLE_MUTATORS if table else MUTATORS)
            if has_inplace(node) or (mutator and kind not in (MODULE, PLOT)):
                target = receiver
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            target = node.target.id
        if target:
            names.add(names.muts, target)
    # a function called for its side effects may change what it is given
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
        call = stmt.value
        module, _ = call_name(call, aliases)
        plain = isinstance(call.func, ast.Name) and call.func.id not in BUILTINS
        if plain or (module is not None and module.split(".")[0] not in ("pandas", "builtins")):
            for arg in list(call.args) + [k.value for k in call.keywords]:
                if isinstance(arg, ast.Name) and types.get(arg.id) not in (CONST, FUNC, FUNC_DF, MODULE, PLOT, None):
                    names.add(names.muts, arg.id)
    return names


def is_literal(node, consts):
    """A value made only of literals (and other such constants): safe to copy into every node."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return all(is_literal(e, consts) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(k is not None and is_literal(k, consts) for k in node.keys) and all(is_literal(v, consts) for v in node.values)
    if isinstance(node, ast.UnaryOp):
        return is_literal(node.operand, consts)
    if isinstance(node, ast.BinOp):
        return is_literal(node.left, consts) and is_literal(node.right, consts)
    return isinstance(node, ast.Name) and node.id in consts


def call_name(call, aliases):
    """('pandas', 'read_csv') for pd.read_csv(...) or read_csv imported from pandas;
    ('numpy.random', 'seed') for np.random.seed(...); (None, None) for anything else."""
    f = call.func
    if isinstance(f, ast.Attribute):
        parts, node = [], f
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if isinstance(node, ast.Name) and node.id in aliases:
            parts.reverse()
            return ".".join([aliases[node.id]] + parts[:-1]), parts[-1]
        return None, None
    if isinstance(f, ast.Name) and f.id in aliases and "." in aliases[f.id]:
        module, _, attr = aliases[f.id].rpartition(".")
        return module, attr
    return None, None


def infer(node, types, aliases):
    """A guess of the type of an expression's value (see the module's constants)."""
    if isinstance(node, ast.Name):
        return types.get(node.id, UNKNOWN)
    if isinstance(node, (ast.Constant, ast.List, ast.Tuple, ast.Dict, ast.Set)):
        return CONST if is_literal(node, {n for n, t in types.items() if t == CONST}) else OTHER
    if isinstance(node, ast.Call):
        module, attr = call_name(node, aliases)
        if module is not None and module.split(".")[0] == "pandas":
            return DF if attr in PANDAS_DF_FUNCS else SERIES if attr == "Series" else UNKNOWN
        if isinstance(node.func, ast.Attribute):
            return _method(infer(node.func.value, types, aliases), node.func.attr)
        if isinstance(node.func, ast.Name) and node.func.id in ("len", "int", "float", "str", "bool", "round", "sum", "max", "min"):
            return OTHER
        if isinstance(node.func, ast.Name) and types.get(node.func.id) == FUNC_DF and node.args and infer(node.args[0], types, aliases) == DF:
            return DF
        return UNKNOWN
    if isinstance(node, ast.Subscript):
        return _subscript(node, infer(node.value, types, aliases), types)
    if isinstance(node, ast.Attribute):
        base = infer(node.value, types, aliases)
        if base == DF:
            return LOC if node.attr in ("loc", "iloc") else DF if node.attr == "T" else OTHER if node.attr in DF_ATTRS_OTHER else SERIES
        if base == SERIES:
            return ACCESSOR if node.attr in ("str", "dt", "cat") else LOC if node.attr in ("loc", "iloc") else OTHER
        if base == GROUPBY:
            return GROUPBY_SERIES
        if base == MODULE:
            return UNKNOWN
        return UNKNOWN if base in (UNKNOWN, OTHER) else OTHER
    if isinstance(node, ast.BinOp):
        sides = {infer(node.left, types, aliases), infer(node.right, types, aliases)}
        return DF if DF in sides else SERIES if SERIES in sides else UNKNOWN
    if isinstance(node, (ast.Compare, ast.UnaryOp)):
        operands = [node.left] + node.comparators if isinstance(node, ast.Compare) else [node.operand]
        kinds = {infer(o, types, aliases) for o in operands}
        return DF if DF in kinds else SERIES if SERIES in kinds else OTHER
    return UNKNOWN


def _method(base, attr):
    if base == DF:
        if attr in ("groupby", "rolling", "resample", "expanding", "ewm"):
            return GROUPBY
        return DF if attr in DF_TO_DF else SERIES if attr in DF_TO_SERIES else OTHER if attr in DF_TO_OTHER else UNKNOWN
    if base == SERIES:
        if attr in SERIES_TO_DF:
            return DF
        if attr in ("groupby", "rolling", "resample", "expanding", "ewm"):
            return GROUPBY_SERIES
        return OTHER if attr in SERIES_TO_OTHER else SERIES
    if base == ACCESSOR:
        return SERIES
    if base == GROUPBY:
        return SERIES if attr in GROUPBY_TO_SERIES else UNKNOWN if attr in ("apply", "get_group", "filter") else DF
    if base == GROUPBY_SERIES:
        return DF if attr in ("reset_index", "to_frame", "unstack") else SERIES
    return UNKNOWN


def _subscript(node, base, types):
    s = node.slice
    if base == DF:
        return _column_pick(s, types)
    if base == LOC:
        if isinstance(s, ast.Tuple) and len(s.elts) == 2:
            return _column_pick(s.elts[1], types, rows=True)
        return DF
    if base == SERIES:
        return OTHER if isinstance(s, ast.Constant) else SERIES
    if base == GROUPBY:
        return GROUPBY_SERIES if isinstance(s, ast.Constant) else GROUPBY
    return UNKNOWN


def _column_pick(s, types, rows=False):
    if isinstance(s, ast.Constant):
        return SERIES if isinstance(s.value, str) or rows else DF
    if isinstance(s, (ast.List, ast.Slice)):
        return DF
    if isinstance(s, ast.Name) and types.get(s.id) == CONST:
        return DF  # a list of column names bound to a constant (a single name would be a str)
    return DF  # a row mask


def import_aliases(stmt):
    """name → 'module' or 'module.attr' for one import statement."""
    out = {}
    if isinstance(stmt, ast.Import):
        for a in stmt.names:
            out[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
    elif isinstance(stmt, ast.ImportFrom) and stmt.module and stmt.level == 0:
        for a in stmt.names:
            if a.name != "*":
                out[a.asname or a.name] = "%s.%s" % (stmt.module, a.name)
    return out


def is_plot_module(qualified):
    return qualified.split(".")[0] in PLOT_MODULES


def function_type(node, types, aliases):
    """FUNC_DF for a function whose returns are all DataFrames when its first parameter is one."""
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or not node.args.args:
        return FUNC
    local = dict(types)
    local[node.args.args[0].arg] = DF
    for stmt in node.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            local[stmt.targets[0].id] = infer(stmt.value, local, aliases)
    returns = [n.value for n in ast.walk(node) if isinstance(n, ast.Return) and n.value is not None]
    return FUNC_DF if returns and all(infer(r, local, aliases) == DF for r in returns) else FUNC
