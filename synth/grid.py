"""Tables 二, 三 and 四 of a printed report as grids of cells with spans, ready for any writer.

Labels come from `form.catalogue`, the other printed words from `form.layout`. A grid lists,
per row, the cells that start in it, left to right, each with its row and column span; writers
render spans as rowspan/colspan (html), vMerge/gridSpan (docx) or leave them out (text).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from form import catalogue as cat
from form import layout as words
from form.catalogue import RowSpec
from form.labels import fold_width
from form.printing import LABEL_VARIANTS
from synth.printed import Layout, PrintedReport


@dataclass(frozen=True)
class GCell:
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Grid:
    ncols: int
    rows: list[list[GCell]]


Placed = tuple[int, int, GCell]  # (row, column, cell)


def placements(grid: Grid) -> list[Placed]:
    """Every cell with the grid column it starts at (spans from rows above skipped over)."""
    taken: set[tuple[int, int]] = set()
    out: list[Placed] = []
    for r, row in enumerate(grid.rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            out.append((r, c, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
    return out


def _rebuild(ncols: int, nrows: int, placed: list[Placed]) -> Grid:
    rows: list[list[tuple[int, GCell]]] = [[] for _ in range(nrows)]
    for r, c, cell in placed:
        rows[r].append((c, cell))
    return Grid(ncols, [[cell for _, cell in sorted(row, key=lambda x: x[0])] for row in rows])


def unmerge(grid: Grid) -> Grid:
    """Row spans replaced by empty cells below the first, as a table copied without merges prints."""
    placed: list[Placed] = []
    for r, c, cell in placements(grid):
        placed.append((r, c, replace(cell, rowspan=1)))
        placed.extend((r + dr, c, GCell("", colspan=cell.colspan)) for dr in range(1, cell.rowspan))
    return _rebuild(grid.ncols, len(grid.rows), placed)


def split(grid: Grid, at: int) -> list[Grid]:
    """The grid broken before row `at`; a cell spanning the break is printed again below it."""
    first: list[Placed] = []
    second: list[Placed] = []
    for r, c, cell in placements(grid):
        end = r + cell.rowspan
        if r < at:
            first.append((r, c, replace(cell, rowspan=min(end, at) - r)))
            if end > at:
                second.append((0, c, replace(cell, rowspan=end - at)))
        else:
            second.append((r - at, c, cell))
    return [
        _rebuild(grid.ncols, at, first),
        _rebuild(grid.ncols, len(grid.rows) - at, second),
    ]


# ---- words -------------------------------------------------------------------------------------


def _header(layout: Layout, text: str) -> str:
    """Header words broken over two lines (商业\\n企业), as narrow columns print them; a header
    holding a bracket (本年收费金额（单位：万元）) stays whole."""
    if not layout.header_breaks or len(text) < 4 or "(" in fold_width(text):
        return text
    mid = len(text) // 2
    return text[:mid] + "\n" + text[mid:]


def _label(layout: Layout, text: str) -> str:
    """The label with the punctuation and wording variants some agencies print (一，, 下一年度)."""
    if layout.label_variant:
        for printed, varied, count in LABEL_VARIANTS:
            text = text.replace(printed, varied, count)
    return text


def _group(layout: Layout, text: str) -> str:
    return "\n".join(text) if layout.vertical_labels else text


# ---- table 二 -----------------------------------------------------------------------------------


def _value_spans(n: int) -> tuple[int, ...]:
    """Column spans of a block's n value cells across the table's three value columns."""
    return {1: (3,), 2: (1, 2), 3: (1, 1, 1)}[n]


def table2(report: PrintedReport) -> list[Grid]:
    lay = report.layout
    specs = {r.id: r for r in cat.rows(report.version, 2)}
    merged = lay.t2_style != "plain"
    blocks: list[list[list[GCell]]] = []
    for heading, row_ids in words.T2_BLOCKS[report.version]:
        columns = specs[row_ids[0]].columns
        spans = _value_spans(len(columns)) if merged else (1,) * len(columns)
        rows = [
            [GCell(heading, colspan=4 if merged else 1)],
            [GCell(words.T2_CONTENT_HEADER)]
            + [GCell(_header(lay, c.label), colspan=s) for c, s in zip(columns, spans, strict=True)],
        ]
        for rid in row_ids:
            spec = specs[rid]
            rows.append(
                [GCell(spec.label)]
                + [
                    GCell(report.texts[cat.cell_id(2, rid, c.id)], colspan=s)
                    for c, s in zip(spec.columns, spans, strict=True)
                ]
            )
        blocks.append(rows)
    if lay.t2_style == "split":
        return [Grid(4, rows) for rows in blocks]
    return [Grid(4, [row for rows in blocks for row in rows])]


# ---- table 三 -----------------------------------------------------------------------------------


def t3_rows(report: PrintedReport) -> tuple[RowSpec, ...]:
    """Table 三's rows as this report prints them (（六） as one row where it does)."""
    specs = cat.rows(report.version, 3)
    if report.version == "2021" and report.other_single_row:
        single = next(r for r in cat.T3_ROWS_ACCEPTED if r.id == cat.T3_OTHER_ALL_ROW)
        out: list[RowSpec] = []
        for r in specs:
            if r.id == cat.T3_OTHER_ITEM_ROWS[0]:
                out.append(single)
            elif r.id not in cat.T3_OTHER_ITEM_ROWS:
                out.append(r)
        return tuple(out)
    return specs


def _t3_label(report: PrintedReport, spec: RowSpec) -> str:
    text = spec.label
    if spec.id == "carried_in" and report.layout.carried_in_note:
        text += words.T3_CARRIED_IN_NOTE.format(year=report.year - 1)
    return _label(report.layout, text)


def _t3_values(report: PrintedReport, spec: RowSpec) -> list[GCell]:
    cols = cat.t3_columns(report.layout.entities)
    return [GCell(report.texts[cat.cell_id(3, spec.id, c.id)]) for c in cols]


def _t3_header_merged(report: PrintedReport, label_cols: int) -> list[list[GCell]]:
    lay = report.layout
    cols = cat.t3_columns(lay.entities)
    orgs = [c for c in cols if c.id in cat.T3_ORGANISATION_COLUMNS or c.id == cat.T3_ENTITIES.id]
    first, last = cols[0], cols[-1]
    return [
        [
            GCell(words.T3_BALANCE_NOTE, rowspan=3, colspan=label_cols),
            GCell(words.T3_APPLICANT_HEADER, colspan=len(cols)),
        ],
        [
            GCell(_header(lay, first.label), rowspan=2),
            GCell(cat.T3_GROUP_LABEL, colspan=len(orgs)),
            GCell(_header(lay, last.label), rowspan=2),
        ],
        [GCell(_header(lay, c.label)) for c in orgs],
    ]


def _t3_merged(report: PrintedReport) -> Grid:
    lay = report.layout
    specs = t3_rows(report)
    rows = _t3_header_merged(report, 3)
    result_group = next(s.group for s in specs if s.group)
    # （六） printed as one row carries no group in the catalogue but sits among the results
    groups = {s.id: result_group if s.id == cat.T3_OTHER_ALL_ROW else s.group for s in specs}
    results = [s for s in specs if groups[s.id]]
    seen_groups: set[str] = set()
    first_result = True
    for spec in specs:
        label = _t3_label(report, spec)
        values = _t3_values(report, spec)
        if not groups[spec.id]:
            rows.append([GCell(label, colspan=3), *values])
            continue
        lead: list[GCell] = []
        if first_result:
            lead.append(GCell(_group(lay, result_group), rowspan=len(results)))
            first_result = False
        if groups[spec.id] == result_group:
            rows.append([*lead, GCell(label, colspan=2), *values])
            continue
        if spec.group not in seen_groups:
            seen_groups.add(spec.group)
            size = sum(1 for s in specs if s.group == spec.group)
            lead.append(GCell(_group(lay, _label(lay, spec.group)), rowspan=size))
        rows.append([*lead, GCell(label), *values])
    return Grid(3 + len(cat.t3_columns(lay.entities)), rows)


def _t3_flat(report: PrintedReport) -> Grid:
    lay = report.layout
    cols = cat.t3_columns(lay.entities)
    rows = [[GCell("")] + [GCell(_header(lay, c.label)) for c in cols]]
    for spec in t3_rows(report):
        rows.append([GCell(_t3_label(report, spec)), *_t3_values(report, spec)])
    return Grid(1 + len(cols), rows)


def table3(report: PrintedReport) -> list[Grid]:
    lay = report.layout
    grid = _t3_flat(report) if lay.t3_style == "flat" else _t3_merged(report)
    if lay.t3_style == "unmerged":
        grid = unmerge(grid)
    if not lay.t3_split:
        return [grid]
    header = 1 if lay.t3_style == "flat" else 3
    at = header + next(i for i, s in enumerate(t3_rows(report)) if s.id.startswith("unable_"))
    return split(grid, at)


# ---- table 四 -----------------------------------------------------------------------------------


def table4(report: PrintedReport) -> list[Grid]:
    lay = report.layout
    suit_group, heads = words.t4_headers()
    results = [GCell(_header(lay, c.label)) for c in cat.T4_COLUMNS]

    def values(row: str) -> list[GCell]:
        return [GCell(report.texts[cat.cell_id(4, row, c.id)]) for c in cat.T4_COLUMNS]

    n = len(cat.T4_COLUMNS)
    if lay.t4_style == "rows":
        rows = [[GCell("", colspan=2), *results]]
        suits = 0
        for spec, (group, sub) in zip(cat.T4_ROWS, heads, strict=True):
            if not sub:
                rows.append([GCell(group, colspan=2), *values(spec.id)])
                continue
            lead = [GCell(group, rowspan=sum(1 for _, s in heads if s))] if suits == 0 else []
            suits += 1
            rows.append([*lead, GCell(sub), *values(spec.id)])
        return [Grid(2 + n, rows)]
    review = heads[0][0]
    subs = [sub for _, sub in heads if sub]
    rows = [
        [GCell(review, colspan=n), GCell(suit_group, colspan=n * len(subs))],
        [*(replace(c, rowspan=2) for c in results), *(GCell(s, colspan=n) for s in subs)],
        [c for _ in subs for c in results],
        [c for spec in cat.T4_ROWS for c in values(spec.id)],
    ]
    return [Grid(n * len(cat.T4_ROWS), rows)]


def tables(report: PrintedReport) -> dict[int, list[Grid]]:
    """The grids of every table the report prints, by table number."""
    build = {2: table2, 3: table3, 4: table4}
    return {t: build[t](report) for t in (2, 3, 4) if t not in report.missing_tables}
