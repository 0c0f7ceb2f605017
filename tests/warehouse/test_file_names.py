"""A file name that is not UTF-8 (a `\\xff\\xfe` name reaches Python as lone surrogates) is
stored, not a failure of its whole chunk: the issue's JSON line was fixed, but the load of such a
file raised "surrogates not allowed" and failed every report of its chunk."""

from __future__ import annotations

import os

from sqlalchemy import Engine, select

from warehouse.loader import Loader
from warehouse.schema import DimSubmission

from .builders import checked, make_report


def test_a_file_name_that_is_not_utf8_is_stored_readably(registered: Engine) -> None:
    report = make_report("淮安市人民政府", 2023)
    name = os.fsdecode(b"/inbox/\xff\xfe report.html")
    report = report.model_copy(update={"source": report.source.model_copy(update={"path": name})})
    other = make_report("淮安市人民政府", 2022)
    Loader(registered, "run-names").load_chunk([checked(report), checked(other)])
    with registered.connect() as conn:
        paths = sorted(conn.execute(select(DimSubmission.path)).scalars())
    assert "/inbox/\\xff\\xfe report.html" in paths and len(paths) == 2


def test_a_file_name_that_is_not_utf8_is_checked() -> None:
    """The checks failed first: GX hashes the frame, whose source column held the raw name."""
    from expectations.checking import check_reports

    report = make_report("淮安市人民政府", 2023)
    name = os.fsdecode(b"/inbox/\xff\xfe report.html")
    report = report.model_copy(update={"source": report.source.model_copy(update={"path": name})})
    (findings,) = check_reports([report])
    assert {f.rule for f in findings} >= {"structure.sections"}  # checked: the built report has no narrative
