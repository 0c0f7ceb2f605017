"""Where the reliability tests leave their figures: `XXGK_RELIABILITY_OUT`, one JSON file per section.

`bench/reliability_report.py` reads that folder and writes RELIABILITY.md; without the variable
nothing is written.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

VARIABLE = "XXGK_RELIABILITY_OUT"


def write_section(section: str, figures: dict, name: str | None = None) -> Path | None:
    """`{"section": section, **figures}` as `<dir>/<name or section>.json`; None when not asked for."""
    folder = os.environ.get(VARIABLE)
    if not folder:
        return None
    path = Path(folder) / f"{name or section}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"section": section, **figures}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path
