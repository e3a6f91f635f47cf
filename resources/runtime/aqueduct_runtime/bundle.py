"""An exported bundle as the runtime reads it: aqueduct-bundle.json (the workflow version,
its nodes in plan order, parameters, connection settings without secrets), node code
under nodes/, data files under data/. Relative publish paths resolve against the output
folder (default: the bundle), so a shared volume can receive them."""
import json
import os
import re

from . import BUNDLE_FORMAT
from .params import resolve

MANIFEST = "aqueduct-bundle.json"


class BundleError(Exception):
    pass


class Bundle:
    def __init__(self, root, output_dir=None):
        self.root = os.path.abspath(root)
        path = os.path.join(self.root, MANIFEST)
        if not os.path.exists(path):
            raise BundleError("%s is not an Aqueduct bundle: no %s (export one with aqueduct export)" % (self.root, MANIFEST))
        with open(path, encoding="utf-8") as fh:
            self.manifest = json.load(fh)
        if self.manifest.get("format") != BUNDLE_FORMAT:
            raise BundleError("%s has format %r; this runtime reads %s" % (path, self.manifest.get("format"), BUNDLE_FORMAT))
        self.nodes = {n["id"]: n for n in self.manifest["nodes"]}
        self.order = list(self.manifest["order"])
        self.output_dir = os.path.abspath(output_dir) if output_dir else self.root
        self._code = {}
        # the engine's own secret store (Airflow connections), when the wrapper sets one:
        # (name, settings) -> the secret settings to add
        self.secret_source = None

    @property
    def name(self):
        return self.manifest["workflow"]["name"]

    @property
    def version_hash(self):
        return self.manifest["version"]["hash"]

    def code(self, node_id):
        node = self.nodes[node_id]
        rel = node.get("code")
        if not rel:
            return ""
        if node_id not in self._code:
            with open(os.path.join(self.root, rel), encoding="utf-8") as fh:
                self._code[node_id] = fh.read()
        return self._code[node_id]

    def data_path(self, rel):
        return rel if os.path.isabs(rel) else os.path.join(self.root, rel)

    def params(self, overrides):
        return resolve(self.manifest.get("parameters") or {}, overrides or {})

    def connection(self, name):
        """A connection's settings: the bundle's (never secrets), then the engine's secret
        store (an Airflow connection), then the environment (a Kubernetes Secret, Ray's
        runtime env): AQUEDUCT_CONNECTION_<NAME> as JSON or a postgresql:// URL, and
        AQUEDUCT_CONNECTION_<NAME>_PASSWORD for the password alone."""
        if not name:
            return None
        cfg = dict((self.manifest.get("connections") or {}).get(name) or {})
        if self.secret_source is not None:
            cfg.update(self.secret_source(name, cfg) or {})
        cfg.pop("airflowConnId", None)
        var = "AQUEDUCT_CONNECTION_" + re.sub(r"[^A-Za-z0-9]", "_", name).upper()
        raw = os.environ.get(var)
        if raw:
            cfg.update(_parse_connection(raw))
        if os.environ.get(var + "_PASSWORD") is not None:
            cfg["password"] = os.environ[var + "_PASSWORD"]
        if not cfg:
            raise BundleError('connection "%s" is not known to this bundle; set %s' % (name, var))
        return cfg


def _parse_connection(raw):
    raw = raw.strip()
    if raw.startswith("{"):
        return json.loads(raw)
    from urllib.parse import unquote, urlparse

    u = urlparse(raw)
    out = {"type": "postgres"}
    if u.hostname:
        out["host"] = u.hostname
    if u.port:
        out["port"] = u.port
    if u.username:
        out["user"] = unquote(u.username)
    if u.password:
        out["password"] = unquote(u.password)
    if u.path and u.path != "/":
        out["database"] = unquote(u.path[1:])
    return out
