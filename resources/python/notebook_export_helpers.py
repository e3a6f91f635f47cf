class AqueductRun:
    """The outputs of one Aqueduct run (Parquet files) and the workflow's parameters.

    Each cell below reads its inputs with aq.load(node_id): the node's table from the run,
    or, where the run has none, the DataFrame a cell above computed. SQL runs on DuckDB
    over the DataFrames given (each a table named by its node), and Python nodes are
    called as Aqueduct calls them: run(**inputs) plus the parameters run() names."""

    def __init__(self, outputs, params):
        self.outputs = outputs
        self.params = params
        self.loaded = {}  # node id -> (DataFrame, Parquet file) read from the run

    def load(self, node_id, file=None, format=None, sheet=None):
        path = self.outputs.get(node_id)
        if path and os.path.exists(path):
            frame = pq.read_table(path).to_pandas()  # as Aqueduct hands tables to Python nodes
            self.loaded[node_id] = (frame, path)
            return frame
        if file is not None:
            return self.read_file(file, format, sheet)
        frame = globals().get(node_id)
        if isinstance(frame, pd.DataFrame):
            return frame
        raise RuntimeError("node %s has no output in this run: run the cell of %s first" % (node_id, node_id))

    @staticmethod
    def read_file(file, format, sheet=None):
        """A source's data file, read the way Aqueduct's source nodes read it."""
        if format == "excel":
            return pd.read_excel(file, sheet_name=sheet if sheet is not None else 0)
        reader = {"csv": "read_csv(?, auto_detect = true, header = true)", "parquet": "read_parquet(?)",
                  "json": "read_json_auto(?)"}[format]
        return AqueductRun._frame(duckdb.connect().sql("SELECT * FROM " + reader, params=[file]))

    @staticmethod
    def _frame(relation):
        """A DuckDB result as Aqueduct hands tables to Python nodes: through Arrow."""
        to_arrow = getattr(relation, "to_arrow_table", None) or relation.fetch_arrow_table  # DuckDB 2 / 1
        return to_arrow().to_pandas()

    def sql(self, query, **tables):
        """A SQL node's query on DuckDB, over the DataFrames given as tables."""
        return self._frame(self._execute(query, tables))

    def scalar(self, query, **tables):
        """A SQL check or metric: the first column of the first row."""
        rows = self._execute(query, tables).limit(1).fetchall()
        return rows[0][0] if rows else None

    def _execute(self, query, tables):
        con = duckdb.connect()
        for name, frame in tables.items():
            loaded = self.loaded.get(name)
            if loaded is not None and loaded[0] is frame:
                # a table straight from the run: DuckDB reads its Parquet, types and all, as in Aqueduct
                con.register(name, con.read_parquet(loaded[1]))
            else:
                con.register(name, frame)
        names = set()
        for statement in con.extract_statements(query):
            names |= set(statement.named_parameters)
        missing = sorted(names - set(self.params))
        if missing:
            raise KeyError("the query uses $%s, which is not a parameter of this workflow" % missing[0])
        values = {name: self.params[name] for name in names}
        return con.sql(query, params=values) if values else con.sql(query)

    def call(self, run, **inputs):
        """A Python node's run(), given its inputs and the parameters it takes."""
        signature = inspect.signature(run)
        takes_all = any(p.kind == p.VAR_KEYWORD for p in signature.parameters.values())
        args = {k: v for k, v in self.params.items() if takes_all or k in signature.parameters}
        args.update(inputs)
        result = run(**args)
        if isinstance(result, pd.Series):
            result = result.to_frame(name=result.name if result.name is not None else "value")
        return result
