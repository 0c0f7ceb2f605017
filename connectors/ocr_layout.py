"""From OCR boxes to text lines in the text reader's shape: rows by vertical position, value
columns from where the table's numbers stand, and a token for every value cell.

The detector misses lone short numbers (a "0" in a wide cell) more than anything else, so each
table section's value columns are found from the numbers it did detect, and a row's column
without a box is cut out of the page and read on its own; a cut with no ink is a blank cell.
Each value token keeps its confidence, for `form.ocr_repair`.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from connectors.ocr_engine import Box
from connectors.report_metadata import section_of_heading
from form import catalogue as cat
from form.ocr_repair import UNREAD
from form.values import is_blank_mark

if TYPE_CHECKING:
    import numpy as np

#: Letters the recogniser reads for digits in a number cell.
_LOOKALIKES = str.maketrans({"o": "0", "O": "0", "D": "0", "l": "1", "I": "1", "|": "1", "S": "5", "B": "8", "Z": "2", "C": "0", "c": "0", "，": ",", "。": "."})
_NUMBER = re.compile(r"^[+-]?\d[\d,]*(\.\d+)?$")
#: The sections that hold the tables: 二、三、四.
_TABLE_SECTIONS = {numeral: table for table, numeral in cat.TABLE_NUMERALS.items()}
#: What stands in a value cell the page leaves empty.
BLANK = "—"


@dataclass
class Token:
    """One piece of a line: text, or a value cell (then `value` is True) with its confidence."""

    text: str
    conf: float
    value: bool = False
    #: where it stands: a value's centre, a word's left edge
    x0: float = 0.0
    #: a word's right edge (a row's values stand right of its label)
    right: float = 0.0
    #: a word ending the label of the last row of the page before (a row broken across pages)
    continues: bool = False


def as_number(text: str) -> str | None:
    """The number an OCR read spells, lookalike letters read as digits; None when it is no number."""
    t = re.sub(r"\s+", "", text).translate(_LOOKALIKES)
    return t if _NUMBER.match(t) else None


def lines_of(boxes: Sequence[Box]) -> list[list[Box]]:
    """Boxes grouped into lines by vertical position, each line left to right."""
    lines: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: b.cy):
        if lines:
            last = lines[-1]
            cy = sum(b.cy for b in last) / len(last)
            h = max(statistics.median(b.height for b in last), box.height)
            if abs(box.cy - cy) < 0.45 * h:
                last.append(box)
                continue
        lines.append([box])
    return [sorted(line, key=lambda b: b.x0) for line in lines]


def rules_at(gray: np.ndarray) -> list[float]:
    """The heights of the page's horizontal ruling lines (a table's row borders); a line left a
    pixel or two askew by the straightening, or greyed by blur, still counts."""
    import numpy as np

    dark = (gray < 170).mean(axis=1)
    near = np.maximum(dark, np.maximum(np.roll(dark, 1), np.roll(dark, -1)))
    ys = np.nonzero(near > 0.25)[0]
    out: list[float] = []
    for y in ys:
        if out and y - out[-1] <= 4:
            out[-1] = float(y)
        else:
            out.append(float(y))
    return out


def _band(y: float, rules: list[float]) -> int | None:
    """Which gap between ruling lines a height falls in (None: above the first or below the last)."""
    import bisect

    i = bisect.bisect(rules, y)
    return i if 0 < i < len(rules) else None


#: A number read with less confidence than this is noise (a stroke of a header character, a
#: speck): it is a word; a value cell it stood in is cut out and read on its own.
NOISE = 0.3


def _is_value(box: Box) -> bool:
    return box.conf >= NOISE and as_number(box.text) is not None


def _is_mark(box: Box) -> bool:
    """Whether a box reads as a blank mark (— or /)."""
    return bool(box.text.strip()) and is_blank_mark(box.text)


def _has_value(line: list[Box]) -> bool:
    return any(_is_value(b) for b in line)


def _fold(upper: list[Box], lower: list[Box]) -> list[Box]:
    """A number wrapped in a narrow cell (13 printed as 1 over 3): each lower box joins the upper
    box standing in the same column."""
    out = list(upper)
    for box in lower:
        near = [i for i, u in enumerate(out) if as_number(u.text) is not None and abs(u.cx - box.cx) < 1.2 * box.height]
        if not near:
            out.append(box)
            continue
        i = min(near, key=lambda k: abs(out[k].cx - box.cx))
        u = out[i]
        out[i] = Box(min(u.x0, box.x0), u.y0, max(u.x1, box.x1), box.y1, u.text + box.text, min(u.conf, box.conf))
    return sorted(out, key=lambda b: b.x0)


def _join_unruled(lines: list[list[Box]], sections: list[str | None], bands: list[int | None], home: list[int]) -> None:
    """Where no ruling lines were found, a line of label words only, left of the values, goes to
    the nearest line with values within two line heights (a label wrapped in its cell); else the
    end of a wrapped label would be read as the start of the next row's."""
    values = [i for i, line in enumerate(lines) if sections[i] in _TABLE_SECTIONS and _has_value(line)]
    for i, line in enumerate(lines):
        if bands[i] is not None or sections[i] not in _TABLE_SECTIONS or _has_value(line):
            continue
        h = statistics.median(b.height for b in line)
        cy = statistics.median(b.cy for b in line)
        near = [a for a in values if sections[a] == sections[i] and abs(statistics.median(b.cy for b in lines[a]) - cy) < 2 * h]
        if not near:
            continue
        a = min(near, key=lambda a: abs(statistics.median(b.cy for b in lines[a]) - cy))
        first_value = min(b.x0 for b in lines[a] if as_number(b.text) is not None)
        if all(b.x1 < first_value - h for b in line):
            home[i] = a


def merge_rows(
    lines: list[list[Box]], sections: list[str | None], rules: list[float]
) -> tuple[list[list[Box]], list[str | None]]:
    """A table row's label wrapped over several lines joins the row's values: each label-only line
    goes to the nearest line with values between the same two ruling lines. Two lines with values
    are never joined (a ruling line was missed), so a missed line costs nothing."""
    bands = [
        _band(statistics.median(b.cy for b in line), rules) if sec in _TABLE_SECTIONS else None
        for line, sec in zip(lines, sections, strict=True)
    ]
    lines = list(lines)
    anchors = [i for i, line in enumerate(lines) if bands[i] is not None and _has_value(line)]
    for a, b in zip(anchors, anchors[1:], strict=False):
        if bands[a] == bands[b] and all(as_number(x.text) is not None for x in lines[b]):
            lines[a], lines[b] = _fold(lines[a], lines[b]), []
    lines_kept = [i for i, line in enumerate(lines) if line]
    lines = [lines[i] for i in lines_kept]
    sections = [sections[i] for i in lines_kept]
    bands = [bands[i] for i in lines_kept]
    anchors = [i for i, line in enumerate(lines) if bands[i] is not None and _has_value(line)]
    home = list(range(len(lines)))
    _join_unruled(lines, sections, bands, home)
    for i, line in enumerate(lines):
        if bands[i] is None or i in anchors:
            continue
        same = [a for a in anchors if bands[a] == bands[i] and sections[a] == sections[i]]
        if same:
            cy = statistics.median(b.cy for b in line)
            home[i] = min(same, key=lambda a: abs(statistics.median(b.cy for b in lines[a]) - cy))
        else:
            # a row without values (every cell blank): its label's lines are one row too
            home[i] = home[next(k for k in range(i + 1) if bands[k] == bands[i] and sections[k] == sections[i])]
    merged: dict[int, list[Box]] = {}
    for i, line in enumerate(lines):
        merged.setdefault(home[i], []).extend(line)
    order = sorted(merged)
    # words in reading order: the row's lines top to bottom (as they were joined), each left to right
    return [merged[i] for i in order], [sections[i] for i in order]


def _ruled_between(gray: np.ndarray, upper: Box, lower: Box) -> bool:
    """Whether a ruling line runs between two boxes stacked one over the other, where they overlap
    (a cell border: the boxes are then in different cells)."""
    x0, x1 = int(max(upper.x0, lower.x0)), int(min(upper.x1, lower.x1))
    y0, y1 = int(min(upper.y1, lower.y0)) - 2, int(max(upper.y1, lower.y0)) + 3
    strip = gray[max(0, y0) : max(0, y1), max(0, x0) : max(0, x1)]
    if strip.size == 0:
        return False
    return bool(((strip < 170).mean(axis=1) > 0.7).any())


def _stacks(lines: list[list[Box]], gray: np.ndarray) -> list[list[Box]]:
    """A run of header lines with each cell's text joined top to bottom: a header printed one
    character a line down a narrow column (小 over 计), or wrapped in its cell (本年制 over
    发件数), is one word again. A box joins the box just above it in the same cell: overlapping
    it across, the next line down, no ruling line between."""
    out: list[list[Box]] = []
    for line in lines:
        row: list[Box] = []
        used: set[tuple[int, int]] = set()
        for box in line:
            best: tuple[float, int, int] | None = None
            for li, above_row in enumerate(out):
                for pos, above in enumerate(above_row):
                    overlap = min(above.x1, box.x1) - max(above.x0, box.x0)
                    narrow = min(above.x1 - above.x0, box.x1 - box.x0)
                    gap = box.y0 - above.y1
                    if (li, pos) in used or overlap < 0.5 * narrow or box.cy <= above.cy:
                        continue
                    if gap > 0.8 * max(above.height, box.height) or _ruled_between(gray, above, box):
                        continue
                    if best is None or overlap > best[0]:
                        best = (overlap, li, pos)
            if best is None:
                row.append(box)
                continue
            _, li, pos = best
            above = out[li][pos]
            out[li][pos] = Box(
                min(above.x0, box.x0), above.y0, max(above.x1, box.x1), box.y1, above.text + box.text, min(above.conf, box.conf)
            )
            used.add((li, pos))
        out.append(row)
    return [r for r in out if r]


def stack_headers(
    lines: list[list[Box]], sections: list[str | None], gray: np.ndarray
) -> tuple[list[list[Box]], list[str | None]]:
    """Each table's header on this page (its lines of words before its first line of values)
    read cell by cell: `_stacks`. The table's rows are left alone (their labels are joined to
    their values by `merge_rows`)."""
    out: list[list[Box]] = []
    out_sections: list[str | None] = []
    seen_values: set[str | None] = set()
    run: list[list[Box]] = []
    run_section: str | None = None

    def flush() -> None:
        for row in _stacks(run, gray) if len(run) > 1 else run:
            out.append(sorted(row, key=lambda b: b.x0))
            out_sections.append(run_section)
        run.clear()

    for line, sec in zip(lines, sections, strict=True):
        heading = section_of_heading("".join(b.text for b in line))
        header = sec in _TABLE_SECTIONS and sec not in seen_values and not heading and not _has_value(line)
        if header and sec == run_section:
            run.append(line)
            continue
        flush()
        if header:
            run_section = sec
            run.append(line)
            continue
        run_section = None
        if sec in _TABLE_SECTIONS and _has_value(line):
            seen_values.add(sec)
        out.append(line)
        out_sections.append(sec)
    flush()
    return out, out_sections


def _columns(centres: list[float], gap: float) -> list[float]:
    """Column centres: the x centres of the section's numbers, clustered."""
    groups: list[list[float]] = []
    for x in sorted(centres):
        if groups and x - groups[-1][-1] <= gap:
            groups[-1].append(x)
        else:
            groups.append([x])
    return [statistics.median(g) for g in groups]


def _around(gray: np.ndarray, box: Box) -> np.ndarray:
    """The page under a box, a little larger (the detector's box is tight)."""
    pad = 0.2 * box.height
    return gray[max(0, int(box.y0 - pad)) : int(box.y1 + pad) + 1, max(0, int(box.x0 - pad)) : int(box.x1 + pad) + 1]


def _is_dash(crop: np.ndarray, height: float) -> bool:
    """Whether a cell's print is a blank mark (— or /): one flat wide stroke, or one thin
    leaning stroke, once the ruling lines at its edges are set aside."""
    import numpy as np

    dark = crop < 140
    if dark.size == 0:
        return False
    dark = dark[dark.mean(axis=1) < 0.85][:, dark.mean(axis=0) < 0.6]
    rows = np.nonzero(dark.sum(axis=1) >= 2)[0]
    cols = np.nonzero(dark.sum(axis=0) >= 1)[0]
    if rows.size == 0 or cols.size == 0:
        return False
    if rows[-1] - rows[0] + 1 <= max(4, 0.3 * height) and cols[-1] - cols[0] + 1 >= 0.5 * height:
        return True
    # a slash: one thin stroke leaning right, each row a few pixels (a 1 stands upright, a 7 has a bar)
    widths = dark[rows].sum(axis=1)
    centres = [float(np.nonzero(dark[r])[0].mean()) for r in rows]
    tall = rows[-1] - rows[0] + 1
    return bool(widths.max() <= 4 and tall >= 0.4 * height and centres[0] - centres[-1] > 0.2 * tall)


#: side of a square of solid ink no printed stroke fills (strokes are 2-5 px at 150-300 dpi)
_SOLID = 9


def _blotted(crop: np.ndarray) -> bool:
    """Whether a cell is blotted out (ink or a stain over most of it, or a solid patch of ink over
    part of it, which the recogniser may read as a fat dash): nothing in it can be trusted."""
    import numpy as np

    dark = crop < 140
    if dark.size == 0:
        return False
    if float(dark.mean()) > 0.35:
        return True
    h, w = dark.shape
    if h < _SOLID or w < _SOLID:
        return False
    # squares of _SOLID × _SOLID pixels all dark, counted with an integral image
    sums = np.pad(dark.astype(np.int32).cumsum(0).cumsum(1), ((1, 0), (1, 0)))
    k = _SOLID
    full = sums[k:, k:] - sums[:-k, k:] - sums[k:, :-k] + sums[:-k, :-k] == k * k
    return float(full.mean()) > 0.05


def _has_ink(crop: np.ndarray) -> bool:
    """Whether a cut holds print: dark pixels beyond the ruling lines that cross it."""
    dark = crop < 140
    if dark.size == 0:
        return False
    if _blotted(crop):  # inked over: every row and column would pass for a ruling line below
        return True
    # ruling lines run (nearly) the crop's whole width or height; a digit 1 does not
    rows = dark.mean(axis=1) > 0.85
    cols = dark.mean(axis=0) > 0.85
    dark = dark[~rows][:, ~cols]
    return int(dark.sum()) > max(15, dark.size * 0.004)


@dataclass
class _Cut:
    line: int
    x: float
    crop: np.ndarray


def page_lines(
    boxes: Sequence[Box],
    gray: np.ndarray,
    section: str | None,
    read_crops: Callable[[list[np.ndarray]], list[tuple[str, float]]],
) -> tuple[list[list[Token]], str | None]:
    """One page's lines as tokens, and the section the page ends in (a table continues on the next)."""
    boxes = [b for b in boxes if b.text.strip()]
    lines = lines_of(boxes)
    carried = section
    sections: list[str | None] = []
    for line in lines:
        heading = section_of_heading("".join(b.text for b in line))
        if heading:
            section = heading
        sections.append(section)
    lines, sections = stack_headers(lines, sections, gray)
    rules = rules_at(gray)
    lines, sections = merge_rows(lines, sections, rules)
    height = statistics.median([b.height for b in boxes]) if boxes else 20.0
    tokens: list[list[Token]] = []
    numbers: dict[str, list[float]] = {}
    for line, sec in zip(lines, sections, strict=True):
        row: list[Token] = []
        valued = _has_value(line)
        # a line of dashes read with confidence is a row printed blank; else a faint dash is a speck
        dashes = any(_is_mark(b) and b.conf >= NOISE for b in line)
        for box in line:
            if _is_mark(box) and box.conf < NOISE and not valued and not dashes:
                continue  # a speck in a header (a stroke read as 一 at 0.05) would make it a row of values
            number = as_number(box.text)
            if number is not None and sec in _TABLE_SECTIONS and box.conf < 0.6 and _is_dash(_around(gray, box), height):
                row.append(Token(BLANK, 1.0, True, box.cx))  # a dash read, doubtfully, as a digit
            elif number is not None and sec in _TABLE_SECTIONS and not _is_value(box):
                # noise: in a row of values a cell read as nothing sure; elsewhere (a header) a word
                row.append(Token(UNREAD, 0.0, True, box.cx) if valued else Token(box.text, box.conf, False, box.x0, box.x1))
            elif number is not None and sec in _TABLE_SECTIONS:
                row.append(Token(number, box.conf, True, box.cx))
                numbers.setdefault(sec, []).append(box.cx)
            elif is_blank_mark(box.text) and box.text.strip() and sec in _TABLE_SECTIONS:
                # a dash read with next to no confidence may be a thin digit (a 1), and a blot of
                # ink over a cell reads as a fat dash: neither is known blank
                known = box.conf >= NOISE and not _blotted(_around(gray, box))
                row.append(Token(BLANK, box.conf, True, box.cx) if known else Token(UNREAD, 0.0, True, box.cx))
            else:
                row.append(Token(box.text, box.conf, False, box.x0, box.x1))
        # a word right of the row's first value stands in a value cell: a value read as letters
        if any(t.value for t in row) and sec in _TABLE_SECTIONS:
            first = min(t.x0 for t in row if t.value)
            row = [Token(UNREAD, 0.0, True, (t.x0 + t.right) / 2) if not t.value and t.x0 > first else t for t in row]
        # a merged row: its words column by column (a group label printed down its own column
        # beside the item labels), each column top to bottom; then its values left to right
        words = _by_column([t for t in row if not t.value], height)
        tokens.append(words + sorted((t for t in row if t.value), key=lambda t: t.x0))
    columns = {sec: _columns(xs, 1.5 * height) for sec, xs in numbers.items()}
    ruled: set[int] = set()
    cuts: list[_Cut] = []
    for i, sec in enumerate(sections):
        if sec in _TABLE_SECTIONS and any(t.value for t in tokens[i]):
            row_cuts = _ruled_row(i, lines[i], tokens, sec, rules, gray, height)
            if row_cuts is not None:
                ruled.add(i)
                cuts.extend(row_cuts)
    # rows printed blank: not first on a page continuing a table (a row broken across pages
    # leaves the end of its label there, without values: not a row of its own)
    value_rows = sorted(ruled)
    for i, sec in enumerate(sections):
        if sec in _TABLE_SECTIONS and not any(t.value for t in tokens[i]):
            near = [j for j in value_rows if sections[j] == sec]
            if sec == carried and all(sections[k] != sec for k in range(i)):
                continue
            nearest = min(near, key=lambda j: abs(j - i)) if near else None
            if _blank_row(i, lines[i], tokens, rules, gray, height, nearest, lines):
                ruled.add(i)
    cuts += [c for c in _cuts(lines, tokens, sections, columns, gray, height) if c.line not in ruled]
    reads = read_crops([c.crop for c in cuts]) if cuts else []
    for cut, (text, conf) in zip(cuts, reads, strict=True):
        if _blotted(cut.crop):
            tokens[cut.line].append(Token(UNREAD, 0.0, True, cut.x))  # ink over the print: unreadable
            continue
        if is_blank_mark(text):
            tokens[cut.line].append(Token(BLANK, conf, True, cut.x) if conf >= NOISE else Token(UNREAD, 0.0, True, cut.x))
            continue
        number = as_number(text)
        if number is None and cut.line not in ruled and _TABLE_SECTIONS.get(sections[cut.line] or "") == 2:
            continue  # table 二 without ruling lines: only a number read is a cell (sub-tables differ in columns)
        tokens[cut.line].append(Token(number, conf, True, cut.x) if number is not None else Token(UNREAD, 0.0, True, cut.x))
    for i, sec in enumerate(sections):
        if sec not in _TABLE_SECTIONS:
            continue
        table = _TABLE_SECTIONS[sec]
        if i in ruled:
            blanks = []
        else:
            blanks = [Token(BLANK, 1.0, True, x) for x in _empty_columns(tokens[i], columns.get(sec, []), height)]
        if table != 2:  # table 二's sub-tables have one value column or three: a blank there is left out
            tokens[i].extend(blanks)
        words = [t for t in tokens[i] if not t.value]
        tokens[i] = words + sorted((t for t in tokens[i] if t.value), key=lambda t: t.x0)
    return _mark_carried_label(tokens, sections, carried, height), section


def _mark_carried_label(
    tokens: list[list[Token]], sections: list[str | None], carried: str | None, height: float
) -> list[list[Token]]:
    """A row broken across pages leaves the end of its label at the top of the next page, before
    any value: read on its own, it would be taken for the next row's label. Lines of words only,
    in the table carried over from the previous page, left of where its rows' values begin,
    before its first value row, are that end: their words are marked `continues` (the reader
    joins them to the label they end)."""
    if carried not in _TABLE_SECTIONS:
        return tokens
    # where the values begin: the middle of the rows' first values (a stray number read in a
    # label, a "5" of "5.属于", must not move it left)
    firsts = [min(t.x0 for t in row if t.value) for row, sec in zip(tokens, sections, strict=True) if sec == carried and any(t.value for t in row)]
    if not firsts:
        return tokens
    first_value = statistics.median(firsts)
    out = []
    leading = True
    for row, sec in zip(tokens, sections, strict=True):
        words_only = row and not any(t.value for t in row)
        if leading and sec == carried and words_only and all(t.right < first_value - height for t in row):
            out.append([Token(t.text, t.conf, False, t.x0, t.right, continues=True) for t in row])
            continue
        if any(t.value for t in row) or sec != carried:
            leading = False
        out.append(row)
    return out


def cells_between(gray: np.ndarray, top: float, bottom: float, height: float) -> list[tuple[float, float]]:
    """The cells of a table row from its vertical ruling lines: (left, right) of each, left to right."""
    import numpy as np

    strip = gray[int(top) + 3 : int(bottom) - 2]
    if strip.shape[0] < 4:
        return []
    full = np.nonzero((strip < 170).mean(axis=0) > 0.85)[0]
    rules: list[float] = []
    for x in full:
        if rules and x - rules[-1] <= 4:
            rules[-1] = float(x)
        else:
            rules.append(float(x))
    return [(a, b) for a, b in zip(rules, rules[1:], strict=False) if b - a > 0.8 * height]


def _ruled_row(
    i: int,
    line: list[Box],
    tokens: list[list[Token]],
    sec: str,
    rules: list[float],
    gray: np.ndarray,
    height: float,
) -> list[_Cut] | None:
    """A row read cell by cell between its ruling lines: the values in each cell joined (digits
    printed spaced out), a cell without a value cut out to read (or blank when it has no ink).
    None when the row's ruling lines are not found (the columns are then told from the numbers)."""
    ys = [b.cy for b in line if as_number(b.text) is not None] or [b.cy for b in line]
    band = _band(statistics.median(ys), rules)
    if band is None:
        return None
    top, bottom = rules[band - 1], rules[band]
    cells = cells_between(gray, top, bottom, height)
    if len(cells) < 2:
        return None
    row = tokens[i]
    label_end = max((t.right for t in row if not t.value), default=-1.0)
    values = [t for t in row if t.value]
    out_values: list[Token] = []
    cuts: list[_Cut] = []
    for left, right in cells:
        inside = sorted((t for t in values if left <= t.x0 < right), key=lambda t: t.x0)
        if any(b.x0 - a.x0 > 2.5 * height for a, b in zip(inside, inside[1:], strict=False)):
            return None  # two values far apart in one cell: a ruling line was missed (under a seal)
        if inside:
            text = "".join(t.text for t in inside if t.text != BLANK) or BLANK
            out_values.append(Token(text, min(t.conf for t in inside), True, (left + right) / 2))
        elif left >= label_end - 0.5 * height:
            crop = gray[int(top) + 3 : int(bottom) - 2, int(left) + 4 : int(right) - 3]
            if _has_ink(crop) and _is_dash(crop, height):
                out_values.append(Token(BLANK, 1.0, True, (left + right) / 2))
            elif _has_ink(crop):
                cuts.append(_Cut(i, (left + right) / 2, crop))
            else:
                out_values.append(Token(BLANK, 1.0, True, (left + right) / 2))
    stray = [t for t in values if not any(left <= t.x0 < right for left, right in cells)]
    tokens[i] = [t for t in row if not t.value] + out_values + stray
    return cuts


def _value_cells(line: list[Box], rules: list[float], gray: np.ndarray, height: float) -> list[tuple[float, float]] | None:
    """The cells of a ruled row right of its label words (None: the row's ruling lines not found)."""
    labels = [b for b in line if as_number(b.text) is None and not is_blank_mark(b.text)]
    ys = [b.cy for b in line if as_number(b.text) is not None] or [b.cy for b in line]
    band = _band(statistics.median(ys), rules)
    if band is None:
        return None
    label_end = max((b.x1 for b in labels), default=-1.0)
    cells = cells_between(gray, rules[band - 1], rules[band], height)
    return [(a, b) for a, b in cells if a >= label_end - 0.5 * height]


def _same_columns(cells: list[tuple[float, float]], grid: list[tuple[float, float]], height: float) -> bool:
    """Whether two rows' value cells stand in the same columns (the first may start elsewhere:
    sub-tables of table 二 differ in label width)."""
    if len(cells) != len(grid):
        return False
    if any(abs(b - d) > height for (_, b), (_, d) in zip(cells, grid, strict=True)):
        return False
    return not any(abs(a - c) > height for (a, _), (c, _) in zip(cells[1:], grid[1:], strict=True))


def _blank_row(
    i: int,
    line: list[Box],
    tokens: list[list[Token]],
    rules: list[float],
    gray: np.ndarray,
    height: float,
    near: int | None,
    lines: list[list[Box]],
) -> bool:
    """A row of words only whose cells right of its label are all empty (no ink, or a dash) and
    stand where the value cells of the nearest row with values (or of the header just above)
    stand: a row printed blank, each
    of its cells a blank token, as a text report reads it. A header row has words in those
    cells, or cells elsewhere, and is left alone."""
    cells = _value_cells(line, rules, gray, height)
    if not cells:
        return False
    grids = [_value_cells(lines[near], rules, gray, height)] if near is not None else []
    if i > 0:  # or the cells of the header just above, but for its label cell (a sub-table of one row)
        above = _band(statistics.median(b.cy for b in lines[i - 1]), rules)
        if above is not None:
            grids.append(cells_between(gray, rules[above - 1], rules[above], height)[1:])
    if not any(grid and _same_columns(cells, grid, height) for grid in grids):
        return False
    band = _band(statistics.median(b.cy for b in line), rules)
    assert band is not None
    top, bottom = rules[band - 1], rules[band]
    for left, right in cells:
        crop = gray[int(top) + 3 : int(bottom) - 2, int(left) + 4 : int(right) - 3]
        if _has_ink(crop) and not _is_dash(crop, height):
            return False
    tokens[i] = tokens[i] + [Token(BLANK, 1.0, True, (a + b) / 2) for a, b in cells]
    return True


def _by_column(words: list[Token], height: float) -> list[Token]:
    """Words of one row in label-column order: words whose left edges lie within two characters
    of each other form a column, read top to bottom (their order in the row)."""
    columns: list[list[Token]] = []
    for w in sorted(words, key=lambda t: t.x0):
        if columns and w.x0 - columns[-1][0].x0 <= 2 * height:
            columns[-1].append(w)
        else:
            columns.append([w])
    order = {id(w): i for i, w in enumerate(words)}
    return [w for col in columns for w in sorted(col, key=lambda t: order[id(t)])]


def join_broken_row(row: list[Token], end: list[Token]) -> list[Token]:
    """A row whose label ends on the next page, with that end (words marked `continues`): its
    words read column by column again, so a group label's last character (理 of 其他处理) and
    the item label's end each join their own column."""
    words = [t for t in row if not t.value] + end
    # a character's width stands in for the page's line height (square Chinese characters)
    widths = [(t.right - t.x0) / len(t.text) for t in words if len(t.text) >= 2 and t.right > t.x0]
    height = statistics.median(widths) if widths else 20.0
    return _by_column(words, height) + [t for t in row if t.value]


def _free_columns(row: list[Token], columns: list[float], height: float) -> list[float]:
    """The section's value columns right of the row's label that no value in the row stands in."""
    values = [t for t in row if t.value]
    if not values:
        return []
    label_end = max((t.right for t in row if not t.value), default=-1.0)
    taken = {min(range(len(columns)), key=lambda i: abs(columns[i] - t.x0)) for t in values}
    return [x for i, x in enumerate(columns) if i not in taken and x > label_end + height]


def _empty_columns(row: list[Token], columns: list[float], height: float) -> list[float]:
    """Free columns the row still has after its cuts were read: cells without ink."""
    return _free_columns(row, columns, height)


def _cuts(
    lines: list[list[Box]],
    tokens: list[list[Token]],
    sections: list[str | None],
    columns: dict[str, list[float]],
    gray: np.ndarray,
    height: float,
) -> list[_Cut]:
    """The cells of each table row where no number was detected but there is ink: cut out to read."""
    cuts: list[_Cut] = []
    for i, (line, sec) in enumerate(zip(lines, sections, strict=True)):
        cols = columns.get(sec or "", [])
        if len(cols) < 2:
            continue
        y0 = min(b.y0 for b in line) - 0.25 * height
        y1 = max(b.y1 for b in line) + 0.25 * height
        for x in _free_columns(tokens[i], cols, height):
            k = cols.index(x)
            left = x - 0.32 * (x - cols[k - 1]) if k > 0 else x - 1.5 * height
            right = x + 0.32 * (cols[k + 1] - x) if k + 1 < len(cols) else x + 1.5 * height
            crop = gray[max(0, int(y0)) : int(y1) + 1, max(0, int(left)) : int(right) + 1]
            if _has_ink(crop) and not _is_dash(crop, height):
                cuts.append(_Cut(i, x, crop))
    return cuts


def line_text(row: list[Token]) -> str:
    """A line as the text reader's lines are: words and values separated by spaces. A value cell
    read as no number keeps its place as a blank (a word there would end the row for the reader
    of lines, and the rows after it would be taken a column off); its read, with confidence 0,
    goes to the repair, which decides the cell from the identities or names it uncertain."""
    return " ".join(BLANK if t.value and as_number(t.text) is None and not is_blank_mark(t.text) else t.text for t in row if t.text)
