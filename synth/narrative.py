"""The narrative sections (一, 五, 六) of a report, stating totals that agree with its tables.

Numbers are taken from what the tables print (so a faulty table and its narrative agree) unless
the report carries a narrative fault, in which case one stated total is the wrong one. The
phrases come from `form.layout.NARRATIVE_TOTALS`, the words a narrative check looks for; the
prose around them from `synth.wording`.
"""

from __future__ import annotations

import random

from form.catalogue import SECTION_NUMERALS, TABLE_OF_SECTION
from form.layout import NARRATIVE_TOTALS
from synth import wording
from synth.printed import Number, PrintedReport

#: The sections without a table: 一 (总体情况), 五 (问题及改进), 六 (其他事项).
NARRATIVE_SECTIONS = tuple(n for n in SECTION_NUMERALS if n not in TABLE_OF_SECTION)


def _value(report: PrintedReport, cells: tuple[str, ...]) -> int:
    total: Number = 0
    for cid in cells:
        v = report.cells.get(cid, report.dropped.get(cid))
        total += v if isinstance(v, int | float) and v > 0 else 0
    return int(total)


def stated_total(report: PrintedReport, cells: tuple[str, ...]) -> int:
    """The number the narrative states for these cells (the wrong one where a fault says so)."""
    if report.narrative_error is not None and report.narrative_error[0] == cells:
        return report.narrative_error[1]
    return _value(report, cells)


def build(report: PrintedReport, rng: random.Random) -> dict[str, list[str]]:
    """Paragraphs of sections 一, 五 and 六."""
    phrases = [(cells, rng.choice(prefixes), unit) for cells, prefixes, unit in NARRATIVE_TOTALS]
    stated = [f"{prefix}{stated_total(report, cells)}{unit}" for cells, prefix, unit in phrases]
    issued_cell = "t2.normative.issued" if report.version == "2021" else "t2.normative.made"
    issued = _value(report, (issued_cell,))
    posts = issued * 3 + rng.randint(20, 400)
    requests = wording.REQUESTS_PARAGRAPH.format(*stated[:4]) + wording.PROCEEDINGS_SENTENCE.format(*stated[4:6])
    one = [
        rng.choice(wording.OPENINGS),
        wording.ACTIVE_PARAGRAPH.format(active=rng.choice(wording.ACTIVE).format(posts=posts), issued=issued),
        requests,
        rng.choice(wording.MANAGEMENT),
        rng.choice(wording.PLATFORM),
        rng.choice(wording.SUPERVISION),
    ]
    five = [rng.choice(wording.PROBLEMS), rng.choice(wording.REMEDIES)]
    six = [p for p in (rng.choice(wording.FEES), rng.choice(wording.NOTHING_ELSE)) if p]
    return dict(zip(NARRATIVE_SECTIONS, (one, five, six), strict=True))
