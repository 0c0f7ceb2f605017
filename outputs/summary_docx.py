"""`汇总_<region>_<year>.docx`: a region's consolidated tables 二 to 四 in the year's template layout.

The report is printed by the generator's Word writer (`synth.writers.docx_writer`), the one whose
files `xxgk parse` is tested on, over the template's grids from `form.catalogue`: the consolidated
report is a report like any other, so it parses back to its own figures.

What it prints (decisions):
- the cells of the year's template version, each the aggregated sum (a cell no loaded report
  carried prints 0);
- （六）其他处理 as one row when some loaded report printed it as one row (`other_all`): its three
  items cannot be told apart there, so the region's three items and that row are folded into one
  (an identity-keeping choice; the workbook keeps them apart);
- the 小计 (`entities`) column is left out: few agencies print it, and its parts are printed.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from form import catalogue as cat
from form import output_words as words
from form.catalogue import Version, version_for_year
from form.layout import NARRATIVE_TOTALS
from form.values import Number
from synth.narrative import NARRATIVE_SECTIONS
from synth.printed import Layout, PrintedReport, print_cells
from synth.values import Value
from synth.writers.docx_writer import write
from warehouse.aggregation import Aggregation, ScopeStatus

LAYOUT = Layout(format="docx", t2_style="merged", t3_style="merged", t4_style="rows", zero="0", indent=True)


def folds_other(cells: dict[str, Number], version: Version) -> bool:
    """Whether （六） prints as one row: always on 2019 tables, and when any report printed it so."""
    return version == "2019" or any(
        cells.get(f"t3.{cat.T3_OTHER_ALL_ROW}.{c.id}") for c in cat.T3_COLUMNS
    )


def publishable_cells(cells: dict[str, Number], version: Version) -> dict[str, Value]:
    """The aggregated cells the template of `version` prints, in printed order (module doc)."""
    single = folds_other(cells, version)
    out: dict[str, Value] = {}
    for cid in cat.expected_cells(version, other_single_row=single):
        spec = cat.cell_spec(cid)
        if spec.row == cat.T3_OTHER_ALL_ROW:
            parts = [f"t3.{r}.{spec.column}" for r in (cat.T3_OTHER_ALL_ROW, *cat.T3_OTHER_ITEM_ROWS)]
            value: Number = sum(cells.get(p, 0) or 0 for p in parts)
        else:
            value = cells.get(cid, 0) or 0
        out[cid] = Decimal(str(value)) if spec.kind == "amount" else int(value)
    return out


def _percent(value: float | None) -> str:
    return words.NONE if value is None else words.PERCENT.format(value=value)


def summary_report(agg: Aggregation, scope: tuple[str, str], published: date | None = None) -> PrintedReport:
    """The consolidated report of one scope (province, city or county) as a printed report."""
    status: ScopeStatus = agg.status[scope]
    name = status.scope_name or scope[1]
    version = version_for_year(agg.year)
    if version is None:
        raise ValueError(f"no template for report year {agg.year}")
    cells = agg.totals(*scope)
    report = PrintedReport(
        file=words.FILE_STEM.format(region=name, year=agg.year) + ".docx",
        agency_id=scope[1],
        agency=name,
        level=scope[0],
        own_government=True,
        year=agg.year,
        version=version,
        published=published or agg.computed_at.date(),
        layout=LAYOUT,
    )
    print_cells(report, publishable_cells(cells, version))
    if version == "2021" and folds_other(cells, version):
        report.other_single_row = True
    totals = {c[0]: int(report.cells.get(c[0]) or 0) for c, _, _ in NARRATIVE_TOTALS if len(c) == 1}
    cover = [
        words.COVER.format(
            name=name,
            year=agg.year,
            expected=status.expected,
            submitted=status.expected_submitted,
            completeness=_percent(status.completeness),
            reports=agg.reports_in(scope),
            late=status.late,
            missing=status.missing,
        ),
        words.COVER_TOTALS.format(
            area=words.AREA.get(scope[0], ""),
            new=totals["t3.new.total"],
            carried_in=totals["t3.carried_in.total"],
            processed=totals["t3.processed_total.total"],
            carried_out=totals["t3.carried_out.total"],
        ),
    ]
    if report.other_single_row:
        cover.append(words.COVER_FOLDED)
    report.narrative = dict(zip(NARRATIVE_SECTIONS, (cover, [words.FIVE], [words.SIX]), strict=True))
    return report


def summary_docx(agg: Aggregation, scope: tuple[str, str], published: date | None = None) -> bytes:
    """The bytes of the scope's 汇总 report (module doc)."""
    return write(summary_report(agg, scope, published))
