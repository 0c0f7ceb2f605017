"""The catalogue holds every cell of both versions, each id once, in FORMAT.md's vocabulary."""

from __future__ import annotations

import re

from form import catalogue as cat

ID = re.compile(r"^t[234]\.[a-z_]+\.[a-z_]+$")


def test_version_2021_has_200_cells() -> None:
    assert len(cat.cells("2021")) == 10 + 25 * 7 + 15


def test_version_2019_has_198_cells() -> None:
    assert len(cat.cells("2019")) == 22 + 23 * 7 + 15


def test_ids_are_unique_and_well_formed() -> None:
    for version in cat.VERSIONS:
        ids = [c.id for c in cat.cells(version)]
        assert len(ids) == len(set(ids))
        assert all(ID.match(i) for i in ids)


def test_format_md_examples() -> None:
    ids = {c.id for c in cat.cells("2021")}
    assert {"t3.new.natural", "t3.carried_out.total", "t2.fees.amount", "t4.suit_after_review.pending"} <= ids
    assert "t2.procurement.amount" in {c.id for c in cat.cells("2019")}


def test_variants_add_entities_and_single_other_row() -> None:
    variant = cat.expected_cells("2021", other_single_row=True, with_entities=True)
    assert "t3.other_all.total" in variant and "t3.other_other.total" not in variant
    assert "t3.new.entities" in variant
    assert len(variant) == 10 + 23 * 8 + 15


def test_every_alias_matches_only_its_own_row_best() -> None:
    """A printed label must not score higher on another row of the same table."""
    from connectors.row_walker import best_row

    for version in cat.VERSIONS:
        for table, specs in ((2, cat.rows(version, 2)), (3, cat.T3_ROWS_ACCEPTED)):
            for i, spec in enumerate(specs):
                label = spec.normalised_aliases[0]
                assert best_row(specs, label, set(), 0) == i, (table, spec.id)


def test_describe_cell_uses_printed_labels() -> None:
    assert cat.describe_cell("t3.new.natural") == "表三「一、本年新收政府信息公开申请数量」行「自然人」列"


def test_every_cell_id_splits_into_its_table_row_and_its_column() -> None:
    """row_of and column_of are how the OCR reader and repair group a printed row's cells."""
    for cell, spec in cat.all_cells().items():
        assert cat.row_of(cell) == f"t{spec.table}.{spec.row}"
        assert cat.column_of(cell) == spec.column
    assert cat.row_of("t4.review.corrected") == "t4.review"
