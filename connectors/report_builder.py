"""From a laid-out document to a `Report`: the walk's rows as cells, each cell's text read as a value.

`connectors.row_walker` finds which printed row is which; this module lays the rows it found out
as the template's cells (noting every table, row and cell not printed), reads each cell's text as
the number the form asks for, and adds what the document says about itself (agency, year,
publication date, narrative sections).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from connectors.document import Document
from connectors.report_metadata import find_agency, find_published, find_year_and_source, narrative_sections
from connectors.row_walker import Found, Walker, line_rows, table_rows
from form import catalogue as cat
from form.catalogue import Version
from form.labels import normalise_label
from form.record import Problem, Report, Source
from form.values import read_value

#: An amount printed with the unit 元 after it (the walk noted the column is in 元, not 万元).
_IN_YUAN = re.compile(rf"{re.escape(cat.UNIT_YUAN)}\s*$")


def detect_version(texts: Iterable[str]) -> Version | None:
    """The template version whose header words the text carries most (FORMAT.md)."""
    joined = "".join(texts)
    score = {
        v: sum(1 for m in words if normalise_label(m) in joined)
        for v, words in cat.VERSION_MARKERS.items()
    }
    best = max(score, key=lambda v: score[v])
    return best if score[best] > 0 else None


def _raw_cells(version: Version, found: Found) -> tuple[dict[str, str | None], list[Problem]]:
    """Cell id → printed text (None where the cell was not printed at all)."""
    raw: dict[str, str | None] = {}
    problems: list[Problem] = []
    t3_cols = cat.t3_columns(found.with_entities)
    if found.with_entities and found.entities_first:
        t3_cols = (t3_cols[0], cat.T3_ENTITIES, *t3_cols[1:6], t3_cols[-1])
    t3_col_ids = tuple(c.id for c in t3_cols)

    for table in (2, 3, 4):
        if table not in found.seen_tables and not any(t == table for t, _ in found.rows):
            problems.append(
                Problem(
                    cell=f"t{table}",
                    reason=f"{cat.table_name(table)}（{cat.TABLE_TITLES[table]}）not found",
                )
            )
            continue
        if table == 4:
            raw.update(_t4_raw(found, problems))
            continue
        specs = list(cat.rows(version, table))
        if table == 3:
            single = (3, cat.T3_OTHER_ALL_ROW) in found.rows
            items = any((3, r) in found.rows for r in cat.T3_OTHER_ITEM_ROWS)
            if version == "2021" and single and not items:
                at = next(i for i, s in enumerate(specs) if s.id == cat.T3_OTHER_ITEM_ROWS[0])
                specs = [s for s in specs if s.id not in cat.T3_OTHER_ITEM_ROWS]
                specs.insert(at, next(s for s in cat.T3_ROWS_ACCEPTED if s.id == cat.T3_OTHER_ALL_ROW))
            elif version == "2019" and items and not single:
                at = next(i for i, s in enumerate(specs) if s.id == cat.T3_OTHER_ALL_ROW)
                specs[at : at + 1] = [s for s in cat.T3_ROWS_ACCEPTED if s.id in cat.T3_OTHER_ITEM_ROWS]
        for spec in specs:
            columns = t3_cols if table == 3 else spec.columns
            values = found.rows.get((table, spec.id))
            if values is None:
                problems.append(Problem(cell=f"t{table}.{spec.id}", reason=f"row「{spec.label}」not found"))
                continue
            ids = _cell_ids(table, spec.id, t3_col_ids if table == 3 else tuple(c.id for c in columns))
            if len(values) >= len(ids):
                raw.update(zip(ids, values[: len(ids)], strict=True))
                continue
            for i, cid in enumerate(ids):
                if i < len(values):
                    raw[cid] = values[i]
                else:
                    raw[cid] = None
                    problems.append(Problem(cell=cid, reason="cell not printed"))
    return raw, problems


@lru_cache(maxsize=1024)
def _cell_ids(table: int, row: str, columns: tuple[str, ...]) -> tuple[str, ...]:
    """A row's cell ids in its columns' order (made once: every report asks for the same ones)."""
    return tuple(cat.cell_id(table, row, col) for col in columns)


def _t4_raw(found: Found, problems: list[Problem]) -> dict[str, str | None]:
    raw: dict[str, str | None] = {}
    flat = list(found.t4_values)
    if not flat and found.t4_rows:
        for spec in cat.T4_ROWS:
            vals = found.t4_rows.get(spec.id, [])
            flat.extend(vals + [None] * (len(cat.T4_COLUMNS) - len(vals)))
    if not flat:
        problems.append(Problem(cell="t4", reason=f"{cat.table_name(4)} has no row of values"))
        return raw
    i = 0
    for spec in cat.T4_ROWS:
        for col in cat.T4_COLUMNS:
            cid = cat.cell_id(4, spec.id, col.id)
            raw[cid] = flat[i] if i < len(flat) else None
            if raw[cid] is None:
                problems.append(Problem(cell=cid, reason="cell not printed"))
            i += 1
    return raw


def _read_cells(raw: dict[str, str | None], found: Found) -> tuple[dict, list[Problem]]:
    values: dict[str, int | float | None] = {}
    problems: list[Problem] = []
    specs = cat.all_cells()
    for cid, text in raw.items():
        if text is None:
            values[cid] = None
            continue
        kind = specs[cid].kind
        if kind == "amount" and found.amount_in_yuan.get(cid) and not _IN_YUAN.search(text):
            text = text + cat.UNIT_YUAN
        reading = read_value(text, kind)
        values[cid] = reading.value
        if reading.problem:
            problems.append(Problem(cell=cid, raw=text, reason=reading.problem))
    return values, problems


#: What a report is told when its title names no year (a problem; the soft finding year.in_title
#: says it to the agency)
_YEAR_NOT_IN_TITLE = {
    "period": "report year not printed in the title: {year}, taken from the statistics period",
    "published": "report year not printed in the title: {year}, taken as the year before the "
    "publication date {published}",
    "text": "report year not printed in the title: {year}, taken from the years the text names (no "
    "publication date found)",
}


def build_report(doc: Document, source: Source) -> Report:
    """The report a document prints: metadata, every cell found, and what could not be read."""
    table_text = [n for t in doc.tables for r in t.rows for n in map(normalise_label, r)]
    version = detect_version(table_text) or detect_version(map(normalise_label, doc.paragraphs))
    problems: list[Problem] = [Problem(reason=reason) for reason in doc.problems]
    published = find_published(doc)
    year, year_source = find_year_and_source(doc, published)
    if year is not None and year_source != "title":
        problems.append(Problem(reason=_YEAR_NOT_IN_TITLE[year_source].format(year=year, published=published)))
    if version is None:
        version = cat.assumed_version(year)
        problems.append(
            Problem(
                reason=f"template version not recognisable from table {cat.TABLE_NUMERALS[2]}'s header; "
                f"assumed {version}"
            )
        )
    found = Walker(version, {2, 3, 4}).walk(table_rows(doc))
    missing = {t for t in (2, 3, 4) if not any(tt == t for tt, _ in found.rows) and not (t == 4 and (found.t4_values or found.t4_rows))}
    if missing:
        extra = Walker(version, missing).walk(line_rows(doc))
        if any(extra.rows) or extra.t4_values or extra.t4_rows:
            found.rows.update(extra.rows)
            found.amount_in_yuan.update(extra.amount_in_yuan)
            if 4 in missing:
                found.t4_values, found.t4_rows = extra.t4_values, extra.t4_rows
            found.with_entities = found.with_entities or extra.with_entities
            found.seen_tables |= {t for t, _ in extra.rows} | ({4} if extra.t4_values or extra.t4_rows else set())
    raw, layout_problems = _raw_cells(version, found)
    cells, value_problems = _read_cells(raw, found)
    return Report(
        source=source,
        agency=find_agency(doc),
        year=year,
        year_source=year_source,
        version=version,
        published=published,
        cells=cells,
        problems=[*problems, *found.problems, *layout_problems, *value_problems],
        narrative=narrative_sections(doc),
    )
