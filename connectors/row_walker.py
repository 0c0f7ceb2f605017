"""Which printed row is which: a walk over a document's rows that finds each template row and its values.

Readers differ in how they lay a table out; this module does not care. It walks every table row
in reading order, tells the table it belongs to by the template's header words and row labels,
matches the row label against the catalogue (by normalised content, the printed order breaking
ties), and keeps the trailing cells as that row's values, still as printed text. Where no ruled
table could be found the same walk runs over text lines split at white space (`line_rows`).
`connectors.report_builder` turns what the walk found into cells.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from connectors.document import Document
from connectors.report_metadata import section_of_heading
from form import catalogue as cat
from form.catalogue import RowSpec, Version
from form.labels import normalise_label
from form.layout import PAGE_FOOTER
from form.record import Problem
from form.values import is_blank_mark, looks_numeric

#: Table 四 is printed as one row of this many values.
T4_VALUES = len(cat.T4_ROWS) * len(cat.T4_COLUMNS)
_T4_GROUPS = frozenset(normalise_label(g) for g in cat.T4_GROUPS)
#: Each table's header words, normalised once.
_TABLE_MARKERS = {t: tuple(normalise_label(m) for m in words) for t, words in cat.TABLE_MARKERS.items()}
#: Table 三's 小计 header words, and the first organisation column (商业企业) it may precede.
_SUBTOTAL_WORDS = tuple(normalise_label(w) for w in cat.T3_SUBTOTAL_MARKERS)
_FIRST_ORGANISATION = normalise_label(
    next(c.label for c in cat.T3_COLUMNS if c.id == cat.T3_ORGANISATION_COLUMNS[0])
)
#: Text rows are read from the first table's section heading (二) to the section after the last (五).
_TABLES_FROM = cat.TABLE_NUMERALS[min(cat.TABLE_NUMERALS)]
_TABLES_UNTIL = cat.SECTION_NUMERALS[cat.SECTION_NUMERALS.index(cat.TABLE_NUMERALS[max(cat.TABLE_NUMERALS)]) + 1]


@dataclass
class Row:
    """One printed row: its cells as printed, normalised, which look like values, and its label text."""

    cells: list[str]
    norm: list[str]
    flags: list[bool]
    text: str

    @classmethod
    def of(cls, cells: Sequence[str]) -> Row:
        texts = [c if c is not None else "" for c in cells]
        norm = [normalise_label(c) for c in texts]
        return cls(texts, norm, [looks_numeric(c) for c in texts], "".join(norm))


@dataclass
class Found:
    """What the walk found: raw value cells per row id, and layout facts."""

    rows: dict[tuple[int, str], list[str]] = field(default_factory=dict)
    t4_values: list[str] = field(default_factory=list)
    t4_rows: dict[str, list[str]] = field(default_factory=dict)
    amount_in_yuan: dict[str, bool] = field(default_factory=dict)
    with_entities: bool = False
    entities_first: bool = False
    seen_tables: set[int] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)


def _score(row: RowSpec, label: str) -> int:
    return max((len(a) for a in row.normalised_aliases if a and a in label), default=0)


_SCORES: dict[tuple[int, str], tuple[tuple[int, int], ...]] = {}


def _scores(candidates: Sequence[RowSpec], label: str) -> tuple[tuple[int, int], ...]:
    """(index, score) of every candidate the label scores on; labels repeat from report to report,
    so remembered."""
    key = (id(candidates), label)
    found = _SCORES.get(key)
    if found is None:
        if len(_SCORES) > 200_000:
            _SCORES.clear()
        scored = ((i, _score(spec, label)) for i, spec in enumerate(candidates))
        found = _SCORES[key] = tuple((i, s) for i, s in scored if s)
    return found


def best_row(candidates: Sequence[RowSpec], label: str, taken: set[str], cursor: int) -> int | None:
    """Index in `candidates` of the row whose longest alias the label contains.

    Ties go to a row not yet taken, then to the first at or after the cursor (printed order).
    """
    best: tuple | None = None
    for i, s in _scores(candidates, label):
        spec = candidates[i]
        key = (s, not spec.weak, spec.id not in taken, i >= cursor, -abs(i - cursor))
        if best is None or key > best[0]:
            best = (key, i)
    return None if best is None else best[1]


_NAMES_ROW: dict[tuple[str, tuple[str, ...]], bool] = {}


def _names_row(norm: str, aliases: tuple[str, ...]) -> bool:
    """Whether a cell's normalised text holds one of a row's aliases (remembered: cells repeat)."""
    key = (norm, aliases)
    found = _NAMES_ROW.get(key)
    if found is None:
        if len(_NAMES_ROW) > 100_000:
            _NAMES_ROW.clear()
        found = _NAMES_ROW[key] = any(a and a in norm for a in aliases)
    return found


def _label_index(row: Row, spec: RowSpec) -> int:
    aliases = spec.normalised_aliases
    for i in range(len(row.norm) - 1, -1, -1):
        if _names_row(row.norm[i], aliases):
            return i
    return -1


def _values_after(row: Row, label_at: int, k: int) -> list[str]:
    after = row.cells[label_at + 1 :]
    if len(after) <= k:
        return after
    extra = len(after) - k
    tail = after[k:]
    if all(is_blank_mark(c) for c in tail):
        return after[:k]
    # label text broken into further cells (lead), or surplus cells in front: the last k
    return after[extra:]


def _trailing_values(row: Row) -> list[str]:
    """The run of value-like cells that ends the row."""
    n = 0
    for numeric in reversed(row.flags):
        if not numeric:
            break
        n += 1
    return row.cells[len(row.cells) - n :] if n else []


def _plausible(values: list[str], k: int) -> bool:
    """Enough value cells to be a data row: all k, or at least half with one number printed."""
    if len(values) >= k:
        return True
    printed = [v for v in values if not is_blank_mark(v)]
    return bool(printed) and len(values) * 2 >= k


_HITS: dict[tuple[str, tuple[int, ...]], dict[int, int]] = {}


def _marker_hits(text: str, tables: tuple[int, ...]) -> dict[int, int]:
    """How many of each table's header words a row's text holds (remembered: headers repeat)."""
    key = (text, tables)
    found = _HITS.get(key)
    if found is None:
        if len(_HITS) > 50_000:
            _HITS.clear()
        found = _HITS[key] = {
            t: sum(1 for m in words if m in text) for t, words in _TABLE_MARKERS.items() if t in tables
        }
    return found


class Walker:
    """Walks a document's rows once, in reading order, keeping the template rows of `tables` it finds."""

    def __init__(self, version: Version, tables: set[int]) -> None:
        self.version = version
        self.tables = tables
        self._tables_key = tuple(sorted(tables))
        self.t2_rows = cat.rows(version, 2)
        self.t3_rows = cat.T3_ROWS_ACCEPTED
        self.found = Found()
        self.context: int | None = None
        self.cursor = {2: 0, 3: 0}
        self.t2_header = ""
        #: table → the row ids of that table found so far (kept as rows are found: rows are only added)
        self._taken: dict[int, set[str]] = {2: set(), 3: set()}
        self._by_context: dict[int | None, list[tuple[int, Sequence[RowSpec]]]] = {}

    # -- context ---------------------------------------------------------------------------
    def _marker_table(self, row: Row) -> int | None:
        hits = _marker_hits(row.text, self._tables_key)
        if not hits:
            return None
        best = max(hits, key=lambda t: hits[t])
        if hits[best] == 0:
            return None
        if best == 4 and hits[4] < 2 and not any(n in _T4_GROUPS for n in row.norm):
            return None
        return best

    def walk(self, rows: Iterable[Row]) -> Found:
        for row in rows:
            if not any(row.norm) and not any(c.strip() for c in row.cells):
                continue
            self._take(row)
        return self.found

    def _take(self, row: Row) -> None:
        flags = row.flags
        has_values = any(flags)
        marker = self._marker_table(row)
        if marker is not None and not (has_values and marker == 2 and self.context == 2):
            if marker == 3 and any(w in row.text for w in _SUBTOTAL_WORDS):
                self._note_subtotal(row)
            if marker != self.context and (marker != 2 or not self._is_t2_data(row)):
                self.context = marker
                self.found.seen_tables.add(marker)
                if marker == 2:
                    self.t2_header = row.text
                if not self._matches_any(row):
                    return
        if self.context != 4 and 4 in self.tables and not self.found.t4_values and all(flags) and len(flags) >= T4_VALUES:
            # table 4's one row of 15 numbers, its header printed outside the table
            self.context = 4
            self.found.seen_tables.add(4)
        if self.context == 4:
            self._take_t4(row, flags)
            return
        if self.context == 2 and not has_values:
            self.t2_header = row.text
        if self.context == 3 and any(w in row.text for w in _SUBTOTAL_WORDS):
            self._note_subtotal(row)
        self._take_labelled(row, flags)

    def _is_t2_data(self, row: Row) -> bool:
        return best_row(self.t2_rows, row.text, set(), 0) is not None and any(row.flags)

    def _matches_any(self, row: Row) -> bool:
        if not any(row.flags):
            return False
        if 4 in self.tables and self.context == 4:
            return True
        return any(
            best_row(rs, row.text, set(), 0) is not None
            for rs in (self.t2_rows, self.t3_rows)
        )

    def _note_subtotal(self, row: Row) -> None:
        self.found.with_entities = True
        sub = next((i for i, n in enumerate(row.norm) if any(w in n for w in _SUBTOTAL_WORDS)), None)
        first = next((i for i, n in enumerate(row.norm) if _FIRST_ORGANISATION in n), None)
        if sub is not None and first is not None and sub < first:
            self.found.entities_first = True

    # -- tables 2 and 3 ----------------------------------------------------------------------
    def _candidates(self) -> list[tuple[int, Sequence[RowSpec]]]:
        """The tables a labelled row may belong to, the current one first (made once per context)."""
        found = self._by_context.get(self.context)
        if found is None:
            order = [self.context] if self.context in (2, 3) else []
            order += [t for t in (2, 3) if t not in order]
            found = self._by_context[self.context] = [
                (t, self.t2_rows if t == 2 else self.t3_rows) for t in order if t in self.tables
            ]
        return found

    def _take_labelled(self, row: Row, flags: list[bool]) -> None:
        if len(row.cells) < 2:
            return
        label = "".join(n for n, numeric in zip(row.norm, flags, strict=False) if not numeric)
        for table, specs in self._candidates():
            taken = self._taken[table]
            idx = best_row(specs, label, taken, self.cursor[table])
            if idx is None and table == self.context == 3:
                idx = self._positional(table, specs, taken, row, flags)
            if idx is None:
                continue
            spec = specs[idx]
            k = self._width(spec)
            at = _label_index(row, spec)
            if at < 0:
                at = max((i for i, numeric in enumerate(flags) if not numeric), default=-1)
            values = _values_after(row, at, k)
            if not _plausible(values, k):
                continue
            if not any(looks_numeric(v) for v in values):
                # only text after the label: a data row with text in its number cells prints
                # at most the row's cells (blank padding aside); anything else is a header
                printed = [c for c in row.cells[at + 1 :] if c.strip()]
                if not printed or len(printed) > k:
                    continue
            if (table, spec.id) in self.found.rows:
                if all(is_blank_mark(v) for v in values):
                    return
                self.found.problems.append(
                    Problem(
                        cell=f"t{table}.{spec.id}",
                        raw=" | ".join(row.cells),
                        reason="row printed twice; the first one is kept",
                    )
                )
                return
            self.found.rows[(table, spec.id)] = values
            taken.add(spec.id)
            self.found.seen_tables.add(table)
            self.context = table
            self.cursor[table] = idx + 1
            if table == 2:
                self._note_units(spec, row)
            return

    def _positional(
        self, table: int, specs: Sequence[RowSpec], taken: set[str], row: Row, flags: list[bool]
    ) -> int | None:
        """A full row whose label names no row takes the next one of the printed order, if unfilled.

        Labels broken over text lines (PDF without ruled tables) or mistyped still land in place.
        """
        i = self.cursor[table]
        if i < len(specs) and specs[i].weak:
            i += 1
        if i >= len(specs) or specs[i].id in taken:
            return None
        k = self._width(specs[i])
        trailing = 0
        for numeric in reversed(flags):
            if not numeric:
                break
            trailing += 1
        printed = any(not is_blank_mark(c) for c in row.cells[len(row.cells) - trailing :])
        return i if trailing >= k and printed else None

    def _width(self, spec: RowSpec) -> int:
        if spec.table == 3:
            return len(spec.columns) + (1 if self.found.with_entities else 0)
        return len(spec.columns)

    def _note_units(self, spec: RowSpec, row: Row) -> None:
        for col in spec.columns:
            if col.kind != "amount":
                continue
            context = self.t2_header + row.text
            in_yuan = cat.UNIT_YUAN in context and cat.UNIT_WAN_YUAN not in context
            self.found.amount_in_yuan[cat.cell_id(2, spec.id, col.id)] = in_yuan

    # -- table 4 ----------------------------------------------------------------------------
    def _take_t4(self, row: Row, flags: list[bool]) -> None:
        """Table 4 is one row of 15 numbers; some print it as three labelled rows of five."""
        if len(self.found.t4_values) >= T4_VALUES:
            return
        label = "".join(n for n, numeric in zip(row.norm, flags, strict=False) if not numeric)
        trailing = _trailing_values(row)
        if label and len(trailing) < T4_VALUES:
            idx = best_row(cat.T4_ROWS, label, set(self.found.t4_rows), 0)
            if idx is not None and len(trailing) >= len(cat.T4_COLUMNS) and not self.found.t4_values:
                spec = cat.T4_ROWS[idx]
                at = _label_index(row, spec)
                self.found.t4_rows[spec.id] = _values_after(row, at, len(cat.T4_COLUMNS))
            return
        if len(trailing) < len(cat.T4_COLUMNS) or not any(not is_blank_mark(c) for c in trailing) and len(trailing) < T4_VALUES:
            return
        want = T4_VALUES - len(self.found.t4_values)
        while len(trailing) > want and not trailing[0].strip():
            trailing = trailing[1:]
        self.found.t4_values.extend(trailing[:want])


def table_rows(doc: Document) -> list[Row]:
    return [Row.of(r) for t in doc.tables for r in t.rows]


_TOKEN_SPLIT = re.compile(r"[ \t\u3000]+")


def line_rows(doc: Document) -> list[Row]:
    """Text without ruled tables as rows: each run of label words, then the numbers after it.

    Words are read as one stream from section 二's heading to section 五's, so a label broken
    over lines, or cells printed one per line, still come out as label + values.
    """
    lines = [line for para in doc.paragraphs for line in para.splitlines()]
    headings = [section_of_heading(line) for line in lines]
    start = next((i for i, h in enumerate(headings) if h == _TABLES_FROM), 0)
    end = next((i for i, h in enumerate(headings) if h == _TABLES_UNTIL and i > start), len(lines))
    rows: list[tuple[list[str], list[str]]] = []
    for line in lines[start:end]:
        if PAGE_FOOTER.match(line):
            continue
        for token in _TOKEN_SPLIT.split(line.strip()):
            if not token:
                continue
            if looks_numeric(token):
                if not rows:
                    rows.append(([], []))
                rows[-1][1].append(token)
            elif not rows or rows[-1][1]:
                rows.append(([token], []))
            else:
                rows[-1][0].append(token)
    return [Row.of((["".join(label)] if label else []) + values) for label, values in rows]
