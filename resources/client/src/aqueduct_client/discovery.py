"""Where the running app is: given explicitly, in AQUEDUCT_URL / AQUEDUCT_TOKEN, or in the
`server.json` that `aqueduct serve` and the desktop app keep in their app-data folder
(AQUEDUCT_HOME, or the OS's: ~/.local/share/aqueduct, ~/Library/Application Support/Aqueduct,
%APPDATA%/Aqueduct) while they run."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Optional, Tuple
from urllib.parse import parse_qs, urlsplit, urlunsplit

from .errors import NotRunningError

DISCOVERY_FILE = "server.json"


def app_home(env: Optional[dict[str, str]] = None) -> Path:
    """The app-data folder the app uses on this machine (the same rule as the app's)."""
    env = dict(os.environ) if env is None else env
    if env.get("AQUEDUCT_HOME"):
        return Path(env["AQUEDUCT_HOME"]).expanduser().resolve()
    home = Path.home()
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "Aqueduct"
    if sys.platform == "win32":
        return Path(env.get("APPDATA") or home / "AppData" / "Roaming") / "Aqueduct"
    return Path(env.get("XDG_DATA_HOME") or home / ".local" / "share") / "aqueduct"


def split_url(url: str) -> Tuple[str, Optional[str]]:
    """The base URL and the token of an address such as the one `aqueduct serve` prints."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise NotRunningError("%r is not an http(s) address of an Aqueduct server" % url, "give the address aqueduct serve printed, e.g. http://127.0.0.1:4173/?token=...")
    token = parse_qs(parts.query).get("token", [None])[0]
    return urlunsplit((parts.scheme, parts.netloc, "", "", "")), token


def find_server(url: Optional[str], token: Optional[str], home: Optional[str]) -> Tuple[str, str, str]:
    """(base URL, token, where they came from)."""
    if url:
        base, from_url = split_url(url)
        token = token or from_url or os.environ.get("AQUEDUCT_TOKEN")
        if not token:
            raise NotRunningError("no token for %s" % base, "pass token=..., or the whole address with ?token=..., or set AQUEDUCT_TOKEN")
        return base, token, "the address given"
    if os.environ.get("AQUEDUCT_URL"):
        base, from_url = split_url(os.environ["AQUEDUCT_URL"])
        token = token or from_url or os.environ.get("AQUEDUCT_TOKEN")
        if not token:
            raise NotRunningError("AQUEDUCT_URL is set but no token", "set AQUEDUCT_TOKEN too, or put ?token=... in AQUEDUCT_URL")
        return base, token, "AQUEDUCT_URL"
    folder = Path(home).expanduser().resolve() if home else app_home()
    file = folder / DISCOVERY_FILE
    try:
        info = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NotRunningError("no running Aqueduct found (no %s)" % file,
                              "start the desktop app or `aqueduct serve`, or pass url= and token= (or set AQUEDUCT_URL and AQUEDUCT_TOKEN)") from None
    except (OSError, ValueError) as exc:
        raise NotRunningError("%s could not be read (%s)" % (file, exc), "start the app again to rewrite it") from None
    if not isinstance(info, dict) or not isinstance(info.get("url"), str) or not isinstance(info.get("token"), str):
        raise NotRunningError("%s does not say where the app is" % file, "start the app again to rewrite it")
    return info["url"].rstrip("/"), token or info["token"], str(file)
