"""Number cells are read as printed; what is not a number is a problem, never 0."""

from __future__ import annotations

import pytest

from form.labels import normalise_label
from form.values import read_value


@pytest.mark.parametrize(
    "raw,kind,value",
    [
        ("12", "count", 12),
        ("１２", "count", 12),
        ("12件", "count", 12),
        ("1,234", "count", 1234),
        (" 7 ", "count", 7),
        ("", "count", None),
        ("—", "count", None),
        ("－", "count", None),
        ("/", "count", None),
        ("无", "count", None),
        ("-3", "change", -3),
        ("减少3", "change", -3),
        ("96171.6", "amount", 96171.6),
        ("75394432.52元", "amount", 7539.443252),
        ("12万元", "amount", 12),
    ],
)
def test_reads(raw: str, kind: str, value) -> None:
    reading = read_value(raw, kind)
    assert reading.problem is None
    assert reading.value == value


@pytest.mark.parametrize("raw,kind", [("详见附件", "count"), ("12.5", "count"), ("1,23", "count"), ("约10", "count")])
def test_problems_keep_the_cell_null(raw: str, kind: str) -> None:
    reading = read_value(raw, kind)
    assert reading.value is None
    assert reading.problem


def test_label_normalisation_ignores_punctuation_width_and_breaks() -> None:
    assert normalise_label("四、结转下一年度继续办理") == normalise_label("四，结转下年度\n继续办理")
    assert normalise_label("（二）部分公开") == normalise_label("(二)部分 公开")
