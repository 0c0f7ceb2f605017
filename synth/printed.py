"""What one report file prints: its layout choices, every cell's text, and the value a reader must find.

A `PrintedReport` is the single source for both the file (writers render its texts) and the
truth (its values), so the two cannot drift apart. Values follow FORMAT.md: a blank or a dash
is null, full-width digits are digits, an amount printed in 元 is read in 万元.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import cache

from form import catalogue as cat
from form.catalogue import Version
from form.printing import FULLWIDTH_DIGITS
from synth.values import Value

Number = int | float


@dataclass(frozen=True)
class Layout:
    """How an agency lays its report out; every field is one variant seen in real reports."""

    format: str = "html"
    #: 0: name and year on one title line; 1: name on its own line above; 2: year first
    title_style: int = 0
    #: 0: 2022年1月24日; 1: 二〇二二年一月二十四日; 2: 2022-01-24
    date_style: int = 0
    #: "merged": one table, colspan value cells; "plain": one table, no spans; "split": a table per block
    t2_style: str = "merged"
    #: "merged": rowspan label cells; "unmerged": continuation cells printed empty; "flat": one label column
    t3_style: str = "merged"
    header_breaks: bool = False
    #: the 8-column variant: a 小计 of the five 法人或其他组织 columns
    entities: bool = False
    #: table 三 broken in two tables, as across a page
    t3_split: bool = False
    #: "row": table 四 as one row of 15 values; "rows": three labelled rows of five
    t4_style: str = "row"
    #: how a zero in a cell that is not a total is printed: "0", "" (blank) or a dash
    zero: str = "0"
    fullwidth: bool = False
    #: "，" for "、", "下一年度", "１．" in labels
    label_variant: bool = False
    carried_in_note: bool = False
    #: group labels printed one character per line (三\n、\n本…)
    vertical_labels: bool = False
    encoding: str = "utf-8"
    #: html: the article inside a site's layout table
    wrapped: bool = False
    #: version 2019: 采购总金额 printed in 元 with the unit in the cell
    yuan: bool = False
    #: docx: cell text split over several runs
    split_runs: bool = False
    #: leading 　　 before section headings and paragraphs
    indent: bool = True
    #: how a cell's text is broken: "p" (a paragraph per line) or "br" (line breaks in one paragraph)
    line_breaks: str = "p"
    #: html: value cells padded with no-break spaces, as pages pasted from Word carry
    padding: bool = False


@dataclass(frozen=True)
class FaultRow:
    file: str
    rule: str
    cells: tuple[str, ...]
    printed: tuple[str, ...]
    expected: tuple[str, ...]

    def as_csv(self) -> tuple[str, str, str, str, str]:
        return (self.file, self.rule, ";".join(self.cells), ";".join(self.printed), ";".join(self.expected))


@dataclass
class PrintedReport:
    file: str
    agency_id: str
    agency: str
    level: str
    own_government: bool
    year: int
    version: Version
    published: date
    layout: Layout
    #: cell id → the value a reader must find (None: blank, dash or unreadable text)
    cells: dict[str, Number | None] = field(default_factory=dict)
    #: cell id → the text printed in the cell
    texts: dict[str, str] = field(default_factory=dict)
    other_single_row: bool = False
    missing_tables: frozenset[int] = frozenset()
    #: cells of a table left out of the file (kept so the narrative can still state its totals)
    dropped: dict[str, Number | None] = field(default_factory=dict)
    #: section numeral → narrative paragraphs (sections 一, 五, 六); filled after faults
    narrative: dict[str, list[str]] = field(default_factory=dict)
    #: a narrative total stated wrong: (cell ids, printed number)
    narrative_error: tuple[tuple[str, ...], int] | None = None
    faults: list[FaultRow] = field(default_factory=list)
    supersedes: str = ""
    #: the year the title prints when it is not the report's year (a fault: 2001 for 2021)
    title_year: int | None = None
    #: the title prints no year at all (a fault: year.in_title; the year is read from the date)
    title_undated: bool = False

    @property
    def printed_year(self) -> int:
        return self.title_year or self.year

    def copy(self, **changes: object) -> PrintedReport:
        """An independent copy (its own cells, texts and fault list), with fields changed."""
        fresh = {
            "cells": dict(self.cells),
            "texts": dict(self.texts),
            "dropped": dict(self.dropped),
            "narrative": {k: list(v) for k, v in self.narrative.items()},
            "faults": list(self.faults),
        }
        return replace(self, **{**fresh, **changes})

    def truth(self) -> dict:
        """The `xxgk parse --json` shape of this file (agency, year, version, published, cells)."""
        return {
            "agency": self.agency,
            "year": self.printed_year,
            "version": self.version,
            "published": self.published.isoformat(),
            "cells": dict(self.cells),
        }


@cache
def is_total_cell(cid: str) -> bool:
    """Cells that hold a sum: blank.totals watches them, so a layout never blanks them."""
    spec = cat.cell_spec(cid)
    return spec.column in ("total", cat.T3_ENTITIES.id) or spec.row == "processed_total"


def fullwidth(text: str) -> str:
    return text.translate(FULLWIDTH_DIGITS)


def amount_value(text: str) -> Number:
    """What FORMAT.md reads from an amount's text: 万元, or 元 ÷ 10000 when the cell says 元."""
    if text.endswith(cat.UNIT_YUAN) and not text.endswith(cat.UNIT_WAN_YUAN):
        return float(Decimal(text[: -len(cat.UNIT_YUAN)]) / 10000)
    return float(Decimal(text)) if "." in text else int(text)


def format_value(cid: str, value: Value, layout: Layout) -> tuple[str, Number | None]:
    """The text a cell prints for a true value under the layout, and the value read back."""
    if value == 0 and layout.zero != "0" and not is_total_cell(cid):
        return layout.zero, None
    if type(value) is int and cat.cell_spec(cid).kind != "amount":
        text = str(value)
        return (fullwidth(text) if layout.fullwidth else text), value
    if cat.cell_spec(cid).kind == "amount":
        dec = Decimal(value)
        if layout.yuan and cid == "t2.procurement.amount":
            text = f"{dec * 10000:.2f}{cat.UNIT_YUAN}"
        else:
            text = format(dec, "f")
        number = amount_value(text)
    else:
        text = str(int(value))
        number = int(value)
    return (fullwidth(text) if layout.fullwidth else text), number


def print_cells(report: PrintedReport, values: dict[str, Value]) -> None:
    """Fill the report's texts and truth values from true values, in printed order."""
    for cid, value in values.items():
        report.texts[cid], report.cells[cid] = format_value(cid, value, report.layout)


def set_printed(report: PrintedReport, cid: str, value: int) -> tuple[str, str]:
    """Print a (wrong) number in a cell; returns (printed text, text it replaced) for faults.csv."""
    before = str(report.cells.get(cid) or 0)
    text = str(value)
    report.texts[cid] = fullwidth(text) if report.layout.fullwidth else text
    report.cells[cid] = value
    return text, before
