"""Custom GX expectations that check a whole rule family in one vectorised pass.

GX spends 10–20 ms per expectation however small the frame, so one expectation per table cell
(t3.row_total alone has 52) would cost seconds per chunk. These expectations take the family's
column pairs (or columns) as a list, compare them with numpy, and report every failing
(report, pair) — the report by its key column, the pair by its index in the list — so a finding
still names the cell. Import this module before loading the suites: GX drops an expectation
whose class is unknown without a word (tests assert every suite's count).

This module imports great_expectations at import time; import it lazily (see validate.py).
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from great_expectations.execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation import BatchExpectation
from great_expectations.expectations.metrics.metric_provider import metric_value
from great_expectations.expectations.metrics.table_metric_provider import TableMetricProvider

PAIRS_METRIC = "xxgk.column_pairs.unequal"
RANGE_METRIC = "xxgk.column_list.out_of_range"
#: Counts are whole numbers stored as float64; anything further apart than this differs.
TOLERANCE = 1e-6


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python number it is (ints stay ints), for JSON results."""
    value = value.item() if hasattr(value, "item") else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


class ColumnPairsUnequal(TableMetricProvider):
    """Rows where column A and column B of a pair differ, for every pair; NaN on either side skips."""

    metric_name = PAIRS_METRIC
    value_keys = ("pairs", "key_column")

    @metric_value(engine=PandasExecutionEngine)
    def _pandas(
        cls,
        execution_engine: PandasExecutionEngine,
        metric_domain_kwargs: dict,
        metric_value_kwargs: dict,
        metrics: dict[str, Any],
        runtime_configuration: dict,
    ) -> dict[str, Any]:
        df = execution_engine.get_domain_records(domain_kwargs=metric_domain_kwargs)
        pairs = metric_value_kwargs["pairs"]
        a = df[[p[0] for p in pairs]].to_numpy(dtype=float)
        b = df[[p[1] for p in pairs]].to_numpy(dtype=float)
        both = ~np.isnan(a) & ~np.isnan(b)
        bad = both & (np.abs(a - b) > TOLERANCE)
        keys = df[metric_value_kwargs["key_column"]].to_numpy()
        rows, idx = np.nonzero(bad)
        failures = [
            [_plain(keys[r]), int(i), _plain(a[r, i]), _plain(b[r, i])]
            for r, i in zip(rows, idx, strict=True)
        ]
        return {"checked": int(both.sum()), "failures": failures}


class ColumnListOutOfRange(TableMetricProvider):
    """Cells of the listed columns outside [min_value, max_value] (or not whole); NaN skips."""

    metric_name = RANGE_METRIC
    value_keys = ("columns", "min_value", "max_value", "whole_numbers", "key_column")

    @metric_value(engine=PandasExecutionEngine)
    def _pandas(
        cls,
        execution_engine: PandasExecutionEngine,
        metric_domain_kwargs: dict,
        metric_value_kwargs: dict,
        metrics: dict[str, Any],
        runtime_configuration: dict,
    ) -> dict[str, Any]:
        df = execution_engine.get_domain_records(domain_kwargs=metric_domain_kwargs)
        kw = metric_value_kwargs
        v = df[list(kw["columns"])].to_numpy(dtype=float)
        present = ~np.isnan(v)
        bad = np.zeros_like(present)
        with np.errstate(invalid="ignore"):
            if kw.get("min_value") is not None:
                bad |= v < kw["min_value"]
            if kw.get("max_value") is not None:
                bad |= v > kw["max_value"]
            if kw.get("whole_numbers"):
                bad |= np.abs(v - np.round(v)) > TOLERANCE
        bad &= present
        keys = df[kw["key_column"]].to_numpy()
        rows, idx = np.nonzero(bad)
        failures = [[_plain(keys[r]), int(i), _plain(v[r, i])] for r, i in zip(rows, idx, strict=True)]
        return {"checked": int(present.sum()), "failures": failures}


class ExpectColumnPairsToBeEqual(BatchExpectation):
    """Expect column A to equal column B in every row, for each [A, B] in `pairs`.

    The many-pairs form of ExpectColumnPairValuesToBeEqual with ignore_row_if
    "either_value_is_missing": a family of identities (every table 3 row's total) in one pass.
    The result's details list every failure as [key, pair index, A, B].
    """

    pairs: list[list[str]]
    key_column: str = "report_key"

    metric_dependencies: ClassVar[tuple[str, ...]] = (PAIRS_METRIC,)
    success_keys: ClassVar[tuple[str, ...]] = ("pairs", "key_column")
    args_keys: ClassVar[tuple[str, ...]] = ("pairs",)
    library_metadata: ClassVar[dict[str, Any]] = {
        "maturity": "experimental",
        "tags": ["xxgk"],
        "contributors": [],
    }

    def _validate(
        self,
        metrics: dict,
        runtime_configuration: dict | None = None,
        execution_engine: Any = None,
    ) -> dict[str, Any]:
        found = metrics[PAIRS_METRIC]
        return {
            "success": not found["failures"],
            "result": {"observed_value": len(found["failures"]), "details": found},
        }


class ExpectColumnListValuesToBeBetween(BatchExpectation):
    """Expect every value of every listed column to lie in [min_value, max_value] (whole if asked).

    The many-columns form of ExpectColumnValuesToBeBetween for a rule that holds for every cell
    of a kind (values.domain). The result's details list every failure as [key, column index, value].
    """

    columns: list[str]
    min_value: float | None = None
    max_value: float | None = None
    whole_numbers: bool = False
    key_column: str = "report_key"

    metric_dependencies: ClassVar[tuple[str, ...]] = (RANGE_METRIC,)
    success_keys: ClassVar[tuple[str, ...]] = (
        "columns",
        "min_value",
        "max_value",
        "whole_numbers",
        "key_column",
    )
    args_keys: ClassVar[tuple[str, ...]] = ("columns", "min_value", "max_value")
    library_metadata: ClassVar[dict[str, Any]] = {
        "maturity": "experimental",
        "tags": ["xxgk"],
        "contributors": [],
    }

    def _validate(
        self,
        metrics: dict,
        runtime_configuration: dict | None = None,
        execution_engine: Any = None,
    ) -> dict[str, Any]:
        found = metrics[RANGE_METRIC]
        return {
            "success": not found["failures"],
            "result": {"observed_value": len(found["failures"]), "details": found},
        }

