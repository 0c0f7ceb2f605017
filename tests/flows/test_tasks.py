"""The flow's tasks as plain functions (`task.fn`): what each does with a chunk, without Prefect."""

from __future__ import annotations

from pathlib import Path

from expectations.ocr_findings import ocr_findings
from flows.tasks import Received, check_chunk
from form import catalogue as cat
from form.record import OcrNote, Report
from tests.warehouse.builders import REGISTRY_CSV, make_report
from warehouse.engine import make_engine
from warehouse.loader import Loader
from warehouse.records import CheckedSubmission
from warehouse.registry import load_registry_rows
from warehouse.registry_file import parse_registry
from warehouse.spool import Spool

AGENCY = "淮安市洪泽区教育局"
COLUMNS = ("natural", "commercial", "research", "social", "legal", "other")
#: the cells a seal made unreadable: each identity over them has two unknowns (the page cannot decide)
UNREADABLE = ("t3.carried_in.natural", "t3.carried_in.total", "t3.carried_out.natural", "t3.carried_out.total")


def _following(last: Report) -> Report:
    """A scan of the next year that carries in what `last` carried out, its arithmetic whole."""
    report = make_report(AGENCY, last.year + 1, media_type="application/pdf")
    cells = dict(report.cells)
    for c in COLUMNS:
        cells[f"t3.carried_in.{c}"] = last.cells[f"t3.carried_out.{c}"] or 0
        short = cells[f"t3.processed_total.{c}"] - cells[f"t3.new.{c}"] - cells[f"t3.carried_in.{c}"]
        cells[f"t3.new.{c}"] += max(0, short)
        cells[f"t3.carried_out.{c}"] = cells[f"t3.new.{c}"] + cells[f"t3.carried_in.{c}"] - cells[f"t3.processed_total.{c}"]
    for row in ("new", "carried_in", "carried_out"):
        cells[f"t3.{row}.total"] = sum(cells[f"t3.{row}.{c}"] for c in COLUMNS)
    # the narrative sections a scan prints beside its tables (make_report has only the tables)
    narrative = {s: "。" for s in cat.SECTION_NUMERALS if s not in cat.TABLE_OF_SECTION}
    return report.model_copy(update={"cells": cells, "narrative": narrative})


def test_the_check_stage_settles_a_held_scan_with_last_years_loaded_report(warehouse_url: str, tmp_path: Path) -> None:
    engine = make_engine(warehouse_url)
    rows, _ = parse_registry(REGISTRY_CSV)
    with engine.begin() as conn:
        load_registry_rows(conn, rows, as_of=2024)
    last = make_report(AGENCY, 2021)
    Loader(engine).load([CheckedSubmission.of(last.source, last, [])])
    engine.dispose()
    truth = _following(last)
    notes = [OcrNote(cell=c, text="", conf=0.0, uncertain=True) for c in UNREADABLE]
    scan = truth.model_copy(update={"cells": {**truth.cells, **dict.fromkeys(UNREADABLE)}, "ocr": notes})
    assert CheckedSubmission.of(scan.source, scan, ocr_findings(scan)).state == "review"  # the page alone
    spool = Spool(tmp_path / "spool")
    (entry,) = [Received(scan.source, None, scan).spooled(k) for k in spool.put_each("read/0/2022", [Received(scan.source, None, scan)])]

    key = check_chunk.fn([entry], warehouse_url, str(tmp_path / "spool"), "checked/0")

    (checked,) = spool.get(key)
    assert checked.state == "loaded", checked.reason
    assert {c: checked.report.cells[c] for c in UNREADABLE} == {c: truth.cells[c] for c in UNREADABLE}
    assert sorted(f.cells[0] for f in checked.findings if f.rule == "ocr.corrected") == sorted(UNREADABLE)
