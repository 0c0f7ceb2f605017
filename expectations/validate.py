"""One GX run per chunk of reports: the suites as one GX suite, results as plain `ExpectationResult`s.

Great Expectations is imported lazily (≈3 s) inside the functions here, never at module import,
so `xxgk --help` and the pure modules stay fast. The seven suite files are merged into one suite
and validated in one call per chunk: GX costs 40–80 ms per call and 10–20 ms per expectation
whatever the rows, so a chunk of thousands of reports costs about what one report does.

Custom expectation classes are imported before a suite is built and every expectation is turned
into its class explicitly, so an unknown type raises here instead of vanishing as it would when
GX loads a suite file itself. An expectation that raised while validating also raises: a broken
rule must never read as a pass. Building the frame and mapping results to findings are not done
here: `expectations.checking` composes the three.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from expectations.columns import KEY
from expectations.results import ExpectationResult, Failure
from expectations.suite_files import SUITE_PREFIX, combined_expectations, read_suites

ALL_SUITE = SUITE_PREFIX + "all"
RESULT_FORMAT = {"result_format": "COMPLETE"}


class ValidationError(RuntimeError):
    """A suite could not be loaded or an expectation raised instead of judging the data."""


def build_suite(name: str, expectations: Sequence[dict[str, Any]]) -> Any:
    """A GX ExpectationSuite with every expectation instantiated by its class (unknown → error).

    The expectations go in through the constructor: `add_expectation` would consult whichever
    context is current (and skips an expectation equal to one already added), and the
    constructor given configurations logs and drops the invalid ones. Built this way, and
    counted, nothing goes missing.
    """
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    from expectations import custom  # noqa: F401  (registers the custom classes before any suite is built)

    objects = []
    for e in expectations:
        optional = {k: e[k] for k in ("meta", "notes", "severity") if e.get(k) is not None}
        try:
            objects.append(
                ExpectationConfiguration(type=e["type"], kwargs=e["kwargs"], **optional).to_domain_obj()
            )
        except Exception as exc:
            raise ValidationError(f"suite {name}: cannot build {e['type']}: {exc}") from exc
    suite = gx.ExpectationSuite(name=name, expectations=objects)
    if len(suite.expectations) != len(expectations):
        raise ValidationError(
            f"suite {name}: {len(expectations)} expectations in the file, {len(suite.expectations)} loaded"
        )
    return suite


def load_suites() -> dict[str, Any]:
    """Every suite file as a GX ExpectationSuite, by name."""
    return {name: build_suite(name, s["expectations"]) for name, s in read_suites().items()}


def _failures(type_: str, result: dict[str, Any]) -> list[Failure]:
    """Failing rows of one result: from a custom expectation's details, or GX's index list.

    The frame's index is its report_key (0…n-1), so GX's plain index list names the reports
    (asking for `unexpected_index_column_names` instead costs a pandas lookup per failing row).
    GX 1.24 caps `unexpected_list` at 200 values even in COMPLETE, while the index list is
    complete, so values are read back from the frame, never from GX's value lists.
    """
    details = result.get("details")
    if isinstance(details, dict) and "failures" in details:
        return [Failure(int(f[0]), int(f[1]), *f[2:]) for f in details["failures"]]
    keys = result.get("unexpected_index_list")
    if keys is None or len(keys) != result.get("unexpected_count"):
        raise ValidationError(
            f"{type_}: GX named {len(keys or [])} of {result.get('unexpected_count')} failing rows"
        )
    return [Failure(int(k)) for k in keys]


def _raised(info: Any) -> str | None:
    """The exception message GX recorded for an expectation, if it raised.

    GX keeps either one {"raised_exception", "exception_message"} dict or one such dict per
    metric it tried to compute.
    """
    if not isinstance(info, dict):
        return None
    if info.get("raised_exception"):
        return str(info.get("exception_message"))
    for value in info.values():
        if isinstance(value, dict) and value.get("raised_exception"):
            return str(value.get("exception_message"))
    return None


def expectation_results(results: Any) -> list[ExpectationResult]:
    """Plain results of a GX suite result; an expectation that raised is an error, not a failure."""
    out = []
    for r in results.results:
        config = r.expectation_config
        meta = dict(config.meta or {})
        message = _raised(r.exception_info)
        if message is not None:
            raise ValidationError(f"{meta.get('rule')}: {config.type} raised: {message}")
        failures = [] if r.success else _failures(config.type, r.result or {})
        if not r.success and not failures:
            raise ValidationError(f"{meta.get('rule')}: {config.type} failed without naming a report")
        out.append(ExpectationResult(meta.pop("suite", ""), config.type, dict(config.kwargs), meta, failures))
    return out


class Validator:
    """A GX context with the suites loaded, reused for every chunk of one run.

    With `data_docs_dir`, the context is file-backed there: each chunk's results are stored and
    `build_data_docs()` renders them once at the end of the run (never once per report).
    """

    def __init__(self, data_docs_dir: Path | None = None) -> None:
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        self.data_docs_dir = data_docs_dir
        if data_docs_dir is None:
            self.context = gx.get_context(mode="ephemeral")
        else:
            data_docs_dir.mkdir(parents=True, exist_ok=True)
            self.context = gx.get_context(mode="file", project_root_dir=str(data_docs_dir))
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        source = self.context.data_sources.add_or_update_pandas("xxgk")
        asset = next((a for a in source.assets if a.name == "reports"), None) or source.add_dataframe_asset(
            "reports"
        )
        batch = next((b for b in asset.batch_definitions if b.name == "chunk"), None)
        self.batch_definition = batch or asset.add_batch_definition_whole_dataframe("chunk")
        self.suite = build_suite(ALL_SUITE, combined_expectations())
        self.validation = None
        if data_docs_dir is not None:
            self.suite = self.context.suites.add_or_update(self.suite)
            self.validation = self.context.validation_definitions.add_or_update(
                gx.ValidationDefinition(name="xxgk.check", data=self.batch_definition, suite=self.suite)
            )
        self.runs = 0

    def validate(self, frame: pd.DataFrame) -> list[ExpectationResult]:
        """One GX run over the whole frame (whose index must be its report_key, 0…n-1)."""
        if (
            not frame.index.equals(pd.RangeIndex(len(frame)))
            or not (frame[KEY].to_numpy() == frame.index).all()
        ):
            raise ValidationError("the frame's index must be its report_key, 0…n-1")
        self.runs += 1
        if self.validation is not None:
            results = self.validation.run(batch_parameters={"dataframe": frame}, result_format=RESULT_FORMAT)
        else:
            batch = self.batch_definition.get_batch(batch_parameters={"dataframe": frame})
            results = batch.validate(self.suite, result_format=RESULT_FORMAT)
        return expectation_results(results)

    def build_data_docs(self) -> Path | None:
        """Render Data Docs for every run so far; the path of their index page."""
        if self.data_docs_dir is None:
            return None
        self.context.build_data_docs()
        found = sorted(self.data_docs_dir.rglob("data_docs/local_site/index.html"))
        return found[0] if found else None

