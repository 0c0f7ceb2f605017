"""The readers under mutated input: every input read or refused with a reason, none hangs.

`bench/fuzz.py` runs ten thousand inputs per reader; this is its short version (200 per reader, 60 PDFs).
"""

from __future__ import annotations

import contextlib
import logging
import signal

import pytest

from tests.connectors import fuzzing
from tests.hostile.reliability_out import write_section

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def corpus() -> dict[str, list[tuple[str, bytes]]]:
    return fuzzing.seeds(generated=3)


#: inputs per reader; a mutated PDF costs ~0.4 s (pdfminer, or OCR when its text layer is gone),
#: so the PDF reader's short run is smaller (bench/fuzz.py runs thousands of each)
INPUTS = {"pdf": 60}


@pytest.mark.parametrize("reader", fuzzing.READERS)
def test_mutated_input_is_read_or_refused_never_raised(corpus, reader: str) -> None:
    inputs = INPUTS.get(reader, 200)
    logging.disable(logging.WARNING)
    try:
        tally = fuzzing.run({reader: corpus[reader]}, inputs, seed=20261201, limit=10.0)
    finally:
        logging.disable(logging.NOTSET)
    mine = [f for f in tally.failures if f.reader == reader]
    write_section("fuzz-short", {
        "reader": reader, "inputs": tally.inputs[reader], "read": tally.read[reader], "refused": tally.refused[reader],
        "foreign_exceptions": sum(f.kind != "hang" for f in mine), "hangs": sum(f.kind == "hang" for f in mine),
    }, name=f"fuzz-short-{reader}")
    assert tally.inputs[reader] == inputs
    assert [(f.kind, f.message, f.seed_name) for f in tally.failures] == []
    # the mutations reach the reader's far end, not only its first refusal
    assert tally.read[reader] > 0 and tally.refused[reader] > 0


def test_a_read_past_its_limit_is_a_hang_named_with_its_seed() -> None:
    """The harness itself: a read that does not end is reported, not waited on."""
    seed = (fuzzing.SEEDS / "000_1a283dc4be3df628.txt").read_bytes()
    tally = fuzzing.run({"txt": [("seed.txt", seed)]}, 3, seed=1, limit=0.000_001)
    assert [(f.kind, f.seed_name) for f in tally.failures] == [("hang", "seed.txt")] * 3


def test_the_harness_leaves_no_timer_armed_and_the_handlers_as_they_were() -> None:
    """A timer that rang while the harness was disarming it left it armed and the handlers
    replaced: later tests in the process were stopped as hangs, or found SIGALRM taken."""
    seed = (fuzzing.SEEDS / "000_1a283dc4be3df628.txt").read_bytes()
    before = signal.getsignal(signal.SIGPROF), signal.getsignal(signal.SIGALRM)
    for n in range(300):  # limits shorter than the arming, and around a read's own length
        with contextlib.suppress(fuzzing.Hang):
            fuzzing.read_once(seed, "seed.txt", 0.000_001 if n % 3 == 0 else 0.000_2 * (1 + n % 20))
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert (signal.getsignal(signal.SIGPROF), signal.getsignal(signal.SIGALRM)) == before


def test_a_generated_report_pdf_reads_back_to_its_cells() -> None:
    """The fuzz's generated PDF seeds are reports the PDF reader reads whole, not noise."""
    from connectors.reading import report_from_bytes
    from synth.province import build
    from tests.connectors.report_pdf import report_pdf

    report = build(3, range(2022, 2023), ("txt",), 0.0, seed=5).reports[0]
    read = report_from_bytes(report_pdf(report), "generated.pdf")
    assert (read.agency, read.year) == (report.agency, report.year)
    assert read.cells == report.cells and read.problems == []
