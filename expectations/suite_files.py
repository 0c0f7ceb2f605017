"""The suite files in `expectations/suites/`: where they are and what they hold, read as plain JSON.

`expectations.authoring` writes them, `expectations.validate` builds GX suites from them, and the
tests compare them with what authoring would write; none of this needs GX.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

SUITES_DIR = Path(__file__).parent / "suites"
#: Every suite is named `xxgk.<family>` and stored as `<family>.json`.
SUITE_PREFIX = "xxgk."


def suite_files() -> list[Path]:
    """The suite files, sorted by name."""
    return sorted(SUITES_DIR.glob("*.json"))


@cache
def read_suites() -> dict[str, dict[str, Any]]:
    """Suite name → the suite file's JSON (no GX involved)."""
    out = {}
    for path in suite_files():
        suite = json.loads(path.read_text(encoding="utf-8"))
        out[suite["name"]] = suite
    return out


def combined_expectations() -> list[dict[str, Any]]:
    """All suites' expectations in file order, each tagged with the suite it comes from."""
    out = []
    for name, suite in read_suites().items():
        for e in suite["expectations"]:
            out.append({**e, "meta": {**e["meta"], "suite": name}})
    return out
