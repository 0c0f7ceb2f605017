"""The naive path, for comparison: one Prefect task, one GX validation and one transaction per report.

Run by `bench/province_bench.py` in a subprocess:
`.venv/bin/python bench/naive_path.py --warehouse URL --registry CSV FILE...` prints one line,
`NAIVE reports=<n> seconds=<s> ms_per_report=<ms>`, timed from the first report to the last
(Prefect's start and the schema migration are not counted).

What a first version of xxgk would do: Word files through python-docx's object API (`Table.rows`,
`_Row.cells`, `_Cell.text`), other formats through the project's readers; each report checked
alone against its previous year fetched alone; each report loaded in its own transaction.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import sys
import time
import uuid
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from prefect import flow, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402


def _docx_document(data: bytes):
    """The document through python-docx's cell API: one `cell.text` per grid cell, merges collapsed."""
    from docx import Document as open_docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    from connectors.document import Document, Table

    word = open_docx(io.BytesIO(data))
    blocks: list = []
    for child in word.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = Paragraph(child, word).text.strip()
            if text:
                blocks.append(text)
        elif tag == "tbl":
            rows = []
            for row in DocxTable(child, word).rows:
                cells, last = [], None
                for cell in row.cells:
                    if cell._tc is not last:
                        cells.append(cell.text.strip())
                    last = cell._tc
                rows.append(cells)
            blocks.append(Table(rows=rows))
    return Document(blocks=blocks, title=(word.core_properties.title or "").strip() or None)


def _report(path: Path, data: bytes):
    from connectors.reading import reading_of
    from connectors.report_builder import build_report
    from form.record import Source

    if path.suffix == ".docx":
        source = Source(path=str(path), sha256=hashlib.sha256(data).hexdigest(), media_type="docx")
        return source, build_report(_docx_document(data), source), None
    reading = reading_of(data, str(path))
    return reading.source, reading.report, reading.reason


@cache
def _validator():
    """One GX context per process, as the real flow keeps: the naive part is one validation per report."""
    import logging

    from expectations.validate import Validator

    validator = Validator()
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    return validator


@task(name="naive report", cache_policy=NO_CACHE)
def naive_report(path: str, warehouse_url: str, run_id: str) -> str:
    from expectations.checking import check_reports
    from warehouse.engine import engine_scope
    from warehouse.loader import Loader
    from warehouse.previous_year import previous_year_pairings
    from warehouse.records import CheckedSubmission

    file = Path(path)
    source, report, reason = _report(file, file.read_bytes())
    findings = []
    with engine_scope(warehouse_url) as engine:
        if report is not None:
            with engine.connect() as conn:
                previous = previous_year_pairings(conn, [(report.agency, report.year)])
            findings = check_reports([report], previous, chunk_size=1, validator=_validator())[0]
        result = Loader(engine, run_id).load_chunk([CheckedSubmission.of(source, report, findings, reason, None)])
    return result.submissions[0].reported if result.submissions else "none"


@flow(name="naive ingest")
def naive_ingest(files: list[str], warehouse_url: str) -> float:
    run_id = uuid.uuid4().hex
    started = time.perf_counter()
    for path in files:
        naive_report(path, warehouse_url, run_id)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--warehouse", required=True)
    parser.add_argument("--registry", required=True)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()

    from warehouse.engine import engine_scope
    from warehouse.migrate import upgrade
    from warehouse.registry import load_registry

    upgrade(args.warehouse)
    with engine_scope(args.warehouse) as engine:
        load_registry(engine, args.registry)
    _validator()  # the GX context is built once, as in the real flow
    seconds = naive_ingest(args.files, args.warehouse)
    n = len(args.files)
    print(f"NAIVE reports={n} seconds={seconds:.2f} ms_per_report={1000 * seconds / n:.1f}")


if __name__ == "__main__":
    main()
