"""Ingest, backfill and aggregate run as Prefect flows on a synthetic province, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from synth.province import generate
from warehouse.engine import engine_scope
from warehouse.queries import facts_for, table_checksums

#: every test runs flows on Prefect's test API
pytestmark = pytest.mark.slow

YEARS = range(2020, 2023)
HARD_RULES = {
    "t3.row_total", "t3.processed_total", "t3.balance", "t4.total", "carryover.requests",
    "structure.sections", "version.matches_year", "values.domain",
}


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("province")
    generate(out, 24, YEARS, ("docx", "html", "txt"), 0.3, seed=11)
    return out


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _hard_faulty(province: Path) -> set[str]:
    return {r["file"] for r in _rows(province / "faults.csv") if r["rule"] in HARD_RULES}


def _ingest(province: Path, url: str, archive: Path, files: list[Path] | None = None):
    from flows.ingest import ingest

    inbox = [str(p) for p in files] if files is not None else [str(province / "reports")]
    return ingest(
        inbox=inbox,
        registry=str(province / "registry.csv"),
        warehouse_url=url,
        archive_url=str(archive),
        outbox_dir=str(archive.parent / "outbox"),
    )


def test_ingest_puts_every_file_in_exactly_one_state(prefect_api, warehouse_url, province, tmp_path) -> None:
    summary = _ingest(province, warehouse_url, tmp_path / "archive")
    names = [Path(f.source.path).name for f in summary.files]
    reports = sorted(p.name for p in (province / "reports").iterdir())
    assert sorted(names) == reports
    states = {Path(f.source.path).name: f.state for f in summary.files}
    manifest = _rows(province / "manifest.csv")
    replaced = {m["supersedes"] for m in manifest if m["supersedes"]}
    assert replaced and all(states[name] == "superseded" for name in replaced)
    hard = _hard_faulty(province)
    for name, state in states.items():
        if name in replaced:
            continue
        assert state == ("rejected" if name in hard else "loaded"), name
    assert summary.counts.get("quarantined", 0) == 0 and summary.counts.get("failed", 0) == 0
    with engine_scope(warehouse_url) as engine, engine.connect() as conn:
        stored = dict(conn.execute(text("SELECT state, count(*) FROM dim_submission GROUP BY state")).all())
        numbers = conn.execute(text("SELECT chunk_no FROM load_audit WHERE mode = 'load' ORDER BY chunk_no")).scalars()
        numbers = list(numbers)
    assert sum(stored.values()) == len(reports)
    assert len(numbers) > 1 and numbers == list(range(len(numbers)))  # one number per chunk of the run


def test_second_ingest_changes_nothing(prefect_api, warehouse_url, province, tmp_path) -> None:
    first = _ingest(province, warehouse_url, tmp_path / "archive")
    with engine_scope(warehouse_url) as engine, engine.connect() as conn:
        before = table_checksums(conn)
    mails = sorted((tmp_path / "outbox").glob("*.eml"))
    again = _ingest(province, warehouse_url, tmp_path / "archive")
    assert set(again.counts) == {"unchanged"}
    with engine_scope(warehouse_url) as engine, engine.connect() as conn:
        assert table_checksums(conn) == before
    assert again.mails_queued == 0 and sorted((tmp_path / "outbox").glob("*.eml")) == mails
    assert first.mails_queued >= len(mails) > 0  # files replaced in the same run are queued, not sent


def test_each_stored_file_gets_one_quality_report(prefect_api, warehouse_url, province, tmp_path) -> None:
    from email import policy
    from email.parser import BytesParser

    summary = _ingest(province, warehouse_url, tmp_path / "archive")
    # a file replaced by a newer one of the same agency and year before its mail went out is not told
    told = [f for f in summary.files if f.state in ("loaded", "rejected")]
    mails = [BytesParser(policy=policy.default).parse(p.open("rb")) for p in (tmp_path / "outbox").glob("*.eml")]
    replaced = sum(1 for f in summary.files if f.state == "superseded")
    assert replaced and len(mails) == len(told) == summary.mails_queued - replaced
    registry = {r["agency_id"]: r["email"] for r in _rows(province / "registry.csv")}
    assert {m["To"].addresses[0].addr_spec for m in mails} <= set(registry.values())
    rejected = [m for m in mails if "错误" in m["Subject"]]
    assert len(rejected) == sum(1 for f in told if f.hard_findings)
    body = rejected[0].get_body(preferencelist=("plain",)).get_content()
    assert "必须更正" in body and "表" in body
    assert all(str(province) not in m.as_string() for m in mails)


def _carryover_fault(province: Path) -> tuple[str, str, int]:
    """(file, agency id, year) of a file whose only hard fault is a broken carryover."""
    faults = _rows(province / "faults.csv")
    rules: dict[str, set[str]] = {}
    for r in faults:
        rules.setdefault(r["file"], set()).add(r["rule"])
    manifest = {m["file"]: m for m in _rows(province / "manifest.csv")}
    for name, found in sorted(rules.items()):
        m = manifest[name]
        if found & HARD_RULES == {"carryover.requests"} and int(m["year"]) > YEARS[0] and not m["supersedes"]:
            return name, m["agency_id"], int(m["year"])
    pytest.skip("the generated province has no lone carryover fault")


def test_late_previous_year_cascades_to_the_next(prefect_api, warehouse_url, province, tmp_path) -> None:
    """Year N+1 first (carryover not checkable, so it loads); then year N arrives and the cascade
    checks N+1 again, which now fails its carryover."""
    name, agency, year = _carryover_fault(province)
    files = sorted((province / "reports").iterdir())
    later = [p for p in files if f"_{year}" in p.name]
    earlier = [p for p in files if f"_{year - 1}" in p.name]
    first = _ingest(province, warehouse_url, tmp_path / "archive", later)
    assert {Path(f.source.path).name: f.state for f in first.files}[name] == "loaded"
    second = _ingest(province, warehouse_url, tmp_path / "archive", earlier)
    assert second.rechecked > 0
    with engine_scope(warehouse_url) as engine, engine.connect() as conn:
        state = conn.execute(
            text("SELECT state FROM dim_submission WHERE path LIKE :p"), {"p": f"%{name}"}
        ).scalar_one()
        rules = {
            r[0]
            for r in conn.execute(
                text(
                    "SELECT f.rule_id FROM fact_finding f JOIN dim_submission s USING (submission_key) "
                    "WHERE s.path LIKE :p"
                ),
                {"p": f"%{name}"},
            )
        }
    assert state == "rejected"
    assert "carryover.requests" in rules
    # the agency is told again: its report went from 已入库 to 退回更正 with the carryover finding
    with engine_scope(warehouse_url) as engine, engine.connect() as conn:
        subjects = conn.execute(
            text(
                "SELECT o.subject FROM outbox o JOIN dim_submission s USING (submission_key) "
                "WHERE s.path LIKE :p ORDER BY o.outbox_key"
            ),
            {"p": f"%{name}"},
        ).scalars().all()
    assert len(subjects) == 2 and "错误" not in subjects[0] and "错误" in subjects[1]


def test_backfill_dry_run_reports_and_reload_repairs(prefect_api, warehouse_url, province, tmp_path) -> None:
    """A fact the old parser got wrong: the dry run names it and writes nothing; backfill repairs it."""
    from flows.backfill import backfill

    archive = tmp_path / "archive"
    _ingest(province, warehouse_url, archive)
    with engine_scope(warehouse_url) as engine:
        with engine.connect() as conn:
            good = table_checksums(conn)
            agency, year = conn.execute(
                text("SELECT agency_id, year FROM fact_application ORDER BY agency_id, year LIMIT 1")
            ).one()
            true_value = facts_for(conn, agency, year)["t3.new.natural"]
        with engine.begin() as conn:
            conn.execute(
                text(
                    "UPDATE fact_application SET value = value + 7 WHERE agency_id = :a AND year = :y "
                    "AND outcome_id = 'new' AND applicant_type_id = 'natural'"
                ),
                {"a": agency, "y": year},
            )
        with engine.connect() as conn:
            damaged = table_checksums(conn)

    plan = backfill(years=[year], agencies=[agency], dry_run=True, warehouse_url=warehouse_url, archive_url=str(archive))
    assert plan.dry_run and [c.cells_changed for c in plan.changed] == [1]
    with engine_scope(warehouse_url) as engine, engine.connect() as conn:
        assert table_checksums(conn) == damaged

    done = backfill(years=[year], agencies=[agency], warehouse_url=warehouse_url, archive_url=str(archive))
    assert not done.failed and done.targets >= 1
    with engine_scope(warehouse_url) as engine, engine.connect() as conn:
        assert facts_for(conn, agency, year)["t3.new.natural"] == true_value
        repaired = table_checksums(conn)
    assert {k: v for k, v in repaired.items() if k.startswith("fact_app")} == {
        k: v for k, v in good.items() if k.startswith("fact_app")
    }


def test_aggregate_flow_stores_the_provincial_totals(prefect_api, warehouse_url, province, tmp_path) -> None:
    from flows.aggregate import aggregate
    from warehouse.aggregation import read_aggregation

    _ingest(province, warehouse_url, tmp_path / "archive")
    year = YEARS[-1]
    result = aggregate(year=year, warehouse_url=warehouse_url, out=str(tmp_path / "documents"))
    truth_sum = 0
    loaded = {
        Path(f).name
        for f in _loaded_files(warehouse_url, year)
    }
    for name in loaded:
        cells = json.loads((province / "truth" / f"{name}.json").read_text(encoding="utf-8"))["cells"]
        truth_sum += cells.get("t3.new.total") or 0
    assert result.province["t3.new.total"] == truth_sum
    with engine_scope(warehouse_url) as engine, engine.connect() as conn:
        stored = read_aggregation(conn, year)
    assert stored is not None and stored.province == result.province
    written = sorted(Path(p).suffix for p in result.documents)
    assert {".docx", ".xlsx"} <= set(written) and all(Path(p).parent == tmp_path / "documents" for p in result.documents)
    assert all(Path(p).stat().st_size > 0 for p in result.documents)
    _assert_linked(result.documents)


def _assert_linked(paths: list[str]) -> None:
    """Every document is a link artifact of the run, linked by its path (Prefect stores a link
    artifact as the markdown link `[name](uri)`)."""
    import asyncio

    from prefect.client.orchestration import get_client

    async def links() -> list[str]:
        async with get_client() as client:
            found = await client.read_artifacts()
        return [str(a.data) for a in found if (a.key or "").startswith("aggregation-")]

    linked = " ".join(asyncio.run(links()))
    assert all(f"({Path(p).resolve().as_uri()})" in linked for p in paths)


def test_aggregate_flow_mails_the_provincial_office(prefect_api, warehouse_url, province, tmp_path, monkeypatch) -> None:
    from email import policy
    from email.parser import BytesParser

    from flows.aggregate import aggregate
    from flows.settings import get_settings

    _ingest(province, warehouse_url, tmp_path / "archive")
    office = tmp_path / "office"
    monkeypatch.setenv("XXGK_MAIL_PROVINCE", "gkb@province.example")
    monkeypatch.setenv("XXGK_OUTBOX_DIR", str(office))
    get_settings.cache_clear()
    monkeypatch.setenv("XXGK_HOME", str(tmp_path / "home"))
    try:
        result = aggregate(year=YEARS[-1], warehouse_url=warehouse_url)
    finally:
        get_settings.cache_clear()
    [mail] = [BytesParser(policy=policy.default).parse(p.open("rb")) for p in office.glob("*.eml")]
    assert mail["To"].addresses[0].addr_spec == "gkb@province.example"
    assert f"{YEARS[-1]}年度汇总情况" in mail["Subject"]
    # the summary's own Word file, and the aggregation's documents (汇总 docx, workbook, charts, dashboard)
    attached = sorted(a.get_filename() for a in mail.iter_attachments())
    assert result.documents and len(attached) == 1 + len(result.documents)
    assert {Path(d).name for d in result.documents} <= set(attached)


def _loaded_files(url: str, year: int) -> list[str]:
    with engine_scope(url) as engine, engine.connect() as conn:
        return [
            r[0]
            for r in conn.execute(
                text("SELECT path FROM dim_submission WHERE year = :y AND has_facts"), {"y": year}
            )
        ]


def test_ingest_command_json_lines_and_exit_code(prefect_api, province, tmp_path, monkeypatch, capsys) -> None:
    from flows.cli import main
    from flows.settings import get_settings

    monkeypatch.setenv("XXGK_HOME", str(tmp_path / "home"))
    get_settings.cache_clear()
    inbox = tmp_path / "inbox"
    shutil.copytree(province / "reports", inbox)
    (inbox / "notes.txt").write_bytes(bytes(range(256)))
    try:
        code = main(["ingest", "--json", "--registry", str(province / "registry.csv"), str(inbox)])
    finally:
        get_settings.cache_clear()
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(lines) == len(list(inbox.iterdir()))
    assert all(set(line) == {"source", "agency", "year", "state", "reason"} for line in lines)
    bad = [line for line in lines if line["source"]["path"].endswith("notes.txt")]
    assert bad[0]["state"] == "quarantined" and "binary" in bad[0]["reason"]
    assert code == 2  # a file could not be read
