"""Tables as grids: spans placed, merges undone, tables split, and the words' printed variants."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from form import catalogue as cat
from synth.grid import GCell, Grid, placements, split, tables, unmerge
from synth.printed import PrintedReport
from synth.province import clean_report
from synth.registry import build_registry
from synth.values import series
from tests.synth.conftest import YEARS


@pytest.fixture(scope="module")
def report() -> PrintedReport:
    agency = build_registry(5, YEARS, random.Random(2))[0]
    rng = random.Random(4)
    return clean_report(agency, 2022, "html", rng, series(agency, YEARS, rng))


def _texts(grids: list[Grid]) -> list[str]:
    return [cell.text for grid in grids for row in grid.rows for cell in row]


def _with(report: PrintedReport, **layout: object) -> PrintedReport:
    return report.copy(layout=replace(report.layout, **layout))


SPANNED = Grid(
    3,
    [
        [GCell("a", rowspan=2), GCell("b", colspan=2)],
        [GCell("c"), GCell("d")],
        [GCell("e"), GCell("f"), GCell("g")],
    ],
)


def test_placements_skip_columns_taken_by_spans_above() -> None:
    assert [(r, c, cell.text) for r, c, cell in placements(SPANNED)] == [
        (0, 0, "a"),
        (0, 1, "b"),
        (1, 1, "c"),
        (1, 2, "d"),
        (2, 0, "e"),
        (2, 1, "f"),
        (2, 2, "g"),
    ]


def test_unmerge_prints_an_empty_cell_under_a_row_span() -> None:
    flat = unmerge(SPANNED)
    assert [[c.text for c in row] for row in flat.rows] == [["a", "b"], ["", "c", "d"], ["e", "f", "g"]]
    assert all(c.rowspan == 1 for row in flat.rows for c in row)


def test_split_repeats_a_cell_spanning_the_break() -> None:
    top, bottom = split(SPANNED, 1)
    assert [[(c.text, c.rowspan) for c in row] for row in top.rows] == [[("a", 1), ("b", 1)]]
    assert [[(c.text, c.rowspan) for c in row] for row in bottom.rows] == [
        [("a", 1), ("c", 1), ("d", 1)],
        [("e", 1), ("f", 1), ("g", 1)],
    ]


def test_label_variants_change_punctuation_and_wording(report: PrintedReport) -> None:
    plain = _texts(tables(_with(report, label_variant=False, t3_style="flat"))[3])
    varied = _texts(tables(_with(report, label_variant=True, t3_style="flat"))[3])
    assert "一、本年新收政府信息公开申请数量" in plain and "一，本年新收政府信息公开申请数量" in varied
    assert "四、结转下年度继续办理" in plain and "四，结转下一年度继续办理" in varied
    assert "1.属于国家秘密" in plain and "１．属于国家秘密" in varied


def test_header_breaks_leave_bracketed_headers_whole(report: PrintedReport) -> None:
    broken = _texts(tables(_with(report, header_breaks=True, t2_style="plain"))[2])
    assert "商业\n企业" in _texts(tables(_with(report, header_breaks=True, t3_style="flat"))[3])
    assert "本年制\n发件数" in broken
    fees = next(c.label for r in cat.rows("2021", 2) for c in r.columns if c.kind == "amount")
    assert fees in broken, "a header holding a bracket stays on one line"


def test_vertical_group_labels_print_a_character_per_line(report: PrintedReport) -> None:
    texts = _texts(tables(_with(report, vertical_labels=True, t3_style="merged"))[3])
    assert "\n".join("三、本年度办理结果") in texts
