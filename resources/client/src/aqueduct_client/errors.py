"""The client's errors: one sentence saying what went wrong, and what to do (`fix`)."""
from __future__ import annotations

from typing import Any, Optional


class AqueductError(Exception):
    """Something the app refused or could not do. `fix` says what to do about it."""

    def __init__(self, message: str, fix: Optional[str] = None, code: Optional[str] = None, problems: Optional[list[dict[str, Any]]] = None) -> None:
        super().__init__(message if not fix else "%s (fix: %s)" % (message, fix))
        self.message = message
        self.fix = fix
        #: the API's error code, e.g. "NOT_FOUND" or "BAD_REQUEST"
        self.code = code
        #: for an invalid workflow: each problem with its file, node, field and fix
        self.problems = problems or []


class NotRunningError(AqueductError):
    """No Aqueduct app or `aqueduct serve` could be found or reached."""


class RunFailedError(AqueductError):
    """A run waited for with check=True ended without succeeding."""

    def __init__(self, run: Any) -> None:
        super().__init__("run %s of %s %s: %s" % (run.id[:8], run.workflow_name or run.workflow_id, run.status, run.error or "see its nodes"),
                         "look at the failed node's error: run.nodes")
        self.run = run


class RunTimeoutError(AqueductError, TimeoutError):
    """A run did not finish in the time given to wait()."""
