"""A scan with a cell OCR could not decide is held for review: stored with the reason, its
findings recorded for the agency, none of its figures loaded."""

from __future__ import annotations

from sqlalchemy import Engine, select, text

from expectations.ocr_findings import ocr_findings
from form.catalogue import describe_cell
from form.record import OcrNote
from warehouse.aggregation import aggregate
from warehouse.loader import Loader
from warehouse.records import CheckedSubmission
from warehouse.schema import DimSubmission

from .builders import make_report


def _scan(uncertain: bool):
    report = make_report("淮安市洪泽区教育局", 2021, media_type="application/pdf", salt=str(uncertain))
    note = OcrNote(cell="t3.new.natural", text="7", conf=0.41, value=7, uncertain=uncertain)
    return report.model_copy(update={"ocr": [note]})


def test_a_scan_with_an_uncertain_cell_is_held_for_review(registered: Engine) -> None:
    report = _scan(uncertain=True)
    findings = ocr_findings(report)
    assert [(f.rule, f.cells, f.printed) for f in findings] == [("ocr.uncertain", ["t3.new.natural"], "7")]
    submission = CheckedSubmission.of(report.source, report, findings)
    assert submission.state == "review"
    assert submission.reason == "扫描件中1个单元格无法可靠识别：" + describe_cell("t3.new.natural")
    (result,) = Loader(registered).load([submission])
    (stored,) = result.submissions
    assert stored.outcome == "review" and not stored.has_facts
    s = DimSubmission.__table__
    with registered.connect() as conn:
        row = conn.execute(select(s.c.state, s.c.reason).where(s.c.submission_key == stored.submission_key)).one()
        facts = conn.execute(text("SELECT count(*) FROM fact_application WHERE submission_key = :k"), {"k": stored.submission_key}).scalar_one()
        rules = conn.execute(text("SELECT rule_id FROM fact_finding WHERE submission_key = :k"), {"k": stored.submission_key}).scalars().all()
    assert row.state == "review" and row.reason == submission.reason
    assert facts == 0 and rules == ["ocr.uncertain"]


def test_a_scan_whose_misreads_were_all_repaired_loads_with_the_corrections_noted(registered: Engine) -> None:
    report = _scan(uncertain=False)
    findings = ocr_findings(report)
    assert [(f.rule, f.severity) for f in findings] == [("ocr.corrected", "soft")]
    submission = CheckedSubmission.of(report.source, report, findings)
    assert submission.state == "loaded"
    (result,) = Loader(registered).load([submission])
    assert result.submissions[0].has_facts


def test_a_review_is_counted_in_the_load_audit_and_the_aggregation(registered: Engine) -> None:
    held, loaded = _scan(uncertain=True), make_report("淮安市洪泽区人民政府", 2021)
    subs = [CheckedSubmission.of(r.source, r, ocr_findings(r)) for r in (held, loaded)]
    (result,) = Loader(registered).load(subs)
    assert sorted(s.outcome for s in result.submissions) == ["loaded", "review"]
    with registered.connect() as conn:
        audit = conn.execute(text("SELECT loaded, rejected, quarantined, review FROM load_audit")).one()
    assert tuple(audit) == (1, 0, 0, 1)
    status = aggregate(registered, 2021).status
    province = next(s for (kind, _), s in status.items() if kind == "province")
    assert (province.loaded, province.rejected, province.review, province.submitted) == (1, 0, 1, 2)
