"""The app's API over HTTP: the same tRPC procedures the app's UI calls (queries as GET
with ?input=, mutations as POST with a JSON body), each request carrying the token as a
Bearer header. Files (a node's Parquet) come from /api/..."""
from __future__ import annotations

import json
import shutil
import urllib.error
import urllib.request
from typing import IO, Any, Optional
from urllib.parse import quote

from .errors import AqueductError, NotRunningError


class Transport:
    def __init__(self, url: str, token: str, timeout: float = 30.0) -> None:
        self.url = url.rstrip("/")
        self._token = token
        self.timeout = timeout

    def __repr__(self) -> str:
        return "Transport(%r)" % self.url  # never the token

    def query(self, path: str, input: Optional[dict[str, Any]] = None) -> Any:
        suffix = "" if input is None else "?input=" + quote(json.dumps(input), safe="")
        return self._call(urllib.request.Request(self._trpc(path) + suffix, method="GET"), path)

    def mutation(self, path: str, input: Optional[dict[str, Any]] = None) -> Any:
        body = json.dumps(input if input is not None else {}).encode("utf-8")
        request = urllib.request.Request(self._trpc(path), data=body, method="POST", headers={"Content-Type": "application/json"})
        return self._call(request, path)

    def download(self, path: str, into: IO[bytes]) -> None:
        """Streams a file the server offers under /api/ into a binary file object."""
        request = urllib.request.Request(self.url + path, method="GET")
        with self._open(request, path) as response:
            shutil.copyfileobj(response, into, 1 << 20)

    def _trpc(self, path: str) -> str:
        return "%s/trpc/%s" % (self.url, path)

    def _call(self, request: urllib.request.Request, path: str) -> Any:
        with self._open(request, path) as response:
            payload = json.loads(response.read().decode("utf-8"))
        return payload["result"].get("data")

    def _open(self, request: urllib.request.Request, path: str) -> Any:
        request.add_header("Authorization", "Bearer " + self._token)
        request.add_header("Accept", "application/json")
        try:
            return urllib.request.urlopen(request, timeout=self.timeout)
        except urllib.error.HTTPError as exc:
            raise self._error(exc, path) from None
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            reason = getattr(exc, "reason", exc)
            raise NotRunningError("nothing answers at %s (%s)" % (self.url, reason),
                                  "start the desktop app or `aqueduct serve`; if it was stopped without closing, start it again") from None

    def _error(self, exc: urllib.error.HTTPError, path: str) -> AqueductError:
        if exc.code == 401:
            return AqueductError("the app at %s refused the token" % self.url, "use the token of the running app (server.json, or the address aqueduct serve printed)", "UNAUTHORIZED")
        try:
            body = json.loads(exc.read().decode("utf-8"))
        except ValueError:
            return AqueductError("%s failed with HTTP %d" % (path, exc.code), code=str(exc.code))
        if "error" in body and isinstance(body["error"], dict) and "message" in body["error"]:
            error = body["error"]
            data = error.get("data") or {}
            return AqueductError(error["message"], data.get("fix"), data.get("code"), data.get("problems"))
        # the /api/ endpoints answer {"error": "...", "fix": "..."}
        return AqueductError(str(body.get("error") or "%s failed with HTTP %d" % (path, exc.code)), body.get("fix"), str(exc.code))
