"""A small Python client for Aqueduct: list workflows and runs, read any node's output of
any run as a pandas DataFrame, read metrics and check results, and start runs.

    import aqueduct_client

    app = aqueduct_client.connect()            # the running app, or `aqueduct serve`
    wf = app.workflow("Customer churn")
    run = wf.run(params={"high_risk_threshold": 0.4}, wait=True)
    predictions = run.output("predictions")    # a pandas DataFrame
    run.metrics(), run.checks()
"""
from __future__ import annotations

from typing import Optional

from .client import Aqueduct, CheckResult, NodeRun, Run, Workflow
from .discovery import app_home, find_server
from .errors import AqueductError, NotRunningError, RunFailedError, RunTimeoutError
from .transport import Transport

__all__ = ["connect", "Aqueduct", "Workflow", "Run", "NodeRun", "CheckResult", "AqueductError", "NotRunningError",
           "RunFailedError", "RunTimeoutError", "app_home"]
__version__ = "0.1.0"


def connect(url: Optional[str] = None, token: Optional[str] = None, *, home: Optional[str] = None, timeout: float = 30.0) -> Aqueduct:
    """Connects to a running Aqueduct (the desktop app or `aqueduct serve`).

    Where it looks, in order: `url` (the address `aqueduct serve` prints, with or without
    ?token=) and `token`; the environment variables AQUEDUCT_URL and AQUEDUCT_TOKEN; the
    `server.json` the running app keeps in its app-data folder (`home`, else AQUEDUCT_HOME,
    else the OS's app-data folder). Raises NotRunningError, saying what to do, when no app
    answers, and AqueductError when the token is refused.
    """
    base, secret, _ = find_server(url, token, home)
    transport = Transport(base, secret, timeout)
    transport.query("workflows.list")  # fails now, in one sentence, rather than at first use
    return Aqueduct(transport)
