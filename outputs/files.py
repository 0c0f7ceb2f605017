"""Writing a region's documents for a year into a folder: the one place outputs touch the disk.

`write_documents` reads the stored aggregation once (`outputs.data`), then writes
`汇总_<region>_<year>.docx`, `汇总_<region>_<year>.xlsx`, the PNG charts (when a CJK font is found)
and `dashboard.html`, each replaced whole (written beside, then renamed), and returns the paths
written with what each is, for the flow's artifacts and the command's last lines.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from form import output_words as words
from outputs.data import OfficeData, load_office_data
from outputs.summary_docx import summary_docx
from outputs.workbook import workbook


@dataclass(frozen=True)
class Written:
    path: Path
    #: docx · xlsx · chart · dashboard
    kind: str


def _write(path: Path, data: bytes) -> Path:
    part = path.with_name(path.name + ".part")
    part.write_bytes(data)
    os.replace(part, path)
    return path


def write_documents(engine: Engine, year: int, region: str | None, out: Path) -> tuple[list[Written], list[str]]:
    """Write the documents of `region` (default the province) for `year` into `out`.

    Returns what was written and notes on what was not (charts without a CJK font; nothing at
    all when the year was never aggregated or the region has no agencies in it).
    """
    with engine.connect() as conn:
        try:
            data = load_office_data(conn, year, region)
        except KeyError as exc:
            return [], [f"no documents written: {exc.args[0]}"]
    out.mkdir(parents=True, exist_ok=True)
    stem = words.FILE_STEM.format(region=data.name, year=year)
    written = [
        Written(_write(out / f"{stem}.docx", summary_docx(data.agg, data.scope)), "docx"),
        Written(_write(out / f"{stem}.xlsx", workbook(data)), "xlsx"),
    ]
    notes: list[str] = []
    for extra in _EXTRAS:
        more, said = extra(data, out)
        written += more
        notes += said
    return written, notes


def _charts(data: OfficeData, out: Path) -> tuple[list[Written], list[str]]:
    from outputs.charts import draw_charts

    charts = draw_charts(data)
    if charts is None:
        return [], [words.NO_CJK_FONT]
    return [Written(_write(out / name, png), "chart") for name, png in charts.items()], []


def _dashboard(data: OfficeData, out: Path) -> tuple[list[Written], list[str]]:
    from outputs.dashboard import dashboard_html

    page = dashboard_html(data).encode("utf-8")
    return [Written(_write(out / words.DASHBOARD_FILE, page), "dashboard")], []


Extra = Callable[[OfficeData, Path], tuple[list[Written], list[str]]]
#: further documents (charts, dashboard), each returning what it wrote and what it could not
_EXTRAS: list[Extra] = [_charts, _dashboard]
