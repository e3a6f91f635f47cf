"""What a node kind gets to do its work (the runtime's NodeContext): the bundle, the node,
resolved parameters, upstream tables as Parquet paths, where to write its own table,
and a log function."""


class NodeContext:
    def __init__(self, bundle, node_id, params, inputs, output_path, log):
        self.bundle = bundle
        self.node = bundle.nodes[node_id]
        self.params = params
        self.inputs = inputs
        self.output_path = output_path
        self.log = log

    @property
    def code(self):
        return self.bundle.code(self.node["id"])

    def connection(self, name):
        return self.bundle.connection(name)
