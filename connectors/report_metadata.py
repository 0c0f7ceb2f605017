"""Who printed a report, for which year, when, and its narrative sections.

The title (body heading, else the page's <title>) names the agency and the year; the signature
at the end names the agency again and the date of publication.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from functools import lru_cache

from connectors.document import Document
from form.agency_names import ORGANISATION_ENDINGS
from form.catalogue import SECTIONS
from form.deadlines import year_published_for
from form.labels import fold_width, normalise_label
from form.printing import CN_TEN
from form.record import YearSource
from form.title_words import (
    AGENCY_AND_YEAR,
    CN_DATE,
    CN_DIGIT_VALUES,
    CN_NUMERAL_DATE,
    HEADING_AFTER_NUMERAL,
    IDEOGRAPHIC_SPACE,
    NAME_PREFIX,
    NAME_PUNCTUATION,
    NAME_SUFFIXES,
    PARAGRAPH_END,
    PARAGRAPH_START,
    PERIOD_WORDS,
    PUBLISHED_AT,
    REPORT_WORDS,
    SENTENCE_MARKS,
    SITE_SEPARATORS,
    STATISTICS_PERIOD,
    TITLE,
    TITLE_WORDS,
    YEAR,
    YEAR_MARK,
)

_ISO_DATE = re.compile(rf"{YEAR}[-/.](\d{{1,2}})[-/.](\d{{1,2}})")
_SPACES = re.compile(r"[\s\u3000\u00a0]+")


def _flat(text: str) -> str:
    """Width folded, without spaces; a line is remembered (read for title, year, date, heading)."""
    return _flat_line(text) if len(text) <= 256 else _SPACES.sub("", fold_width(text))


@lru_cache(maxsize=16384)
def _flat_line(text: str) -> str:
    return _SPACES.sub("", fold_width(text))


def _title_lines(doc: Document) -> list[str]:
    paras = [p for p in doc.paragraphs[:30] for p in p.splitlines() if p.strip()]
    return paras


def _clean_agency(name: str) -> str | None:
    name = name.strip(NAME_PUNCTUATION)
    name = NAME_PREFIX.sub("", name)
    changed = True
    while changed and name:
        changed = False
        for suffix in NAME_SUFFIXES:
            if name.endswith(suffix):
                name = name[: -len(suffix)]
                changed = True
    if not name or len(name) > 40 or re.search(r"\d", name):
        return None
    return name


def _names_report(flat: str) -> bool:
    """The line names the disclosure and the report, and is short enough to be a title."""
    return (
        any(w in flat for w in TITLE_WORDS)
        and any(w in flat for w in REPORT_WORDS)
        and len(flat) <= 60
        and not any(mark in flat for mark in SENTENCE_MARKS)
    )


def _dated(flat: str) -> bool:
    return re.search(YEAR_MARK, flat) is not None


def _year_above(before: str | None, flat: str) -> bool:
    """Agency and year on the line above an undated 「政府信息公开工作年度报告」 (common in PDFs
    made from Word documents)."""
    return (
        before is not None
        and not _dated(flat)
        and AGENCY_AND_YEAR.match(before) is not None
        and not any(w in before for w in TITLE_WORDS)
        and TITLE.match(before + flat) is not None
    )


def _report_below(flat: str, after: str | None) -> bool:
    """「…2024年政府信息公开」 above 「工作年度报告」: a dated title broken before its last words."""
    return (
        after is not None
        and _dated(flat)
        and any(w in flat for w in TITLE_WORDS)
        and not _dated(after)
        and not _names_report(after)
        and _names_report(flat + after)
    )


def _title_candidates(lines: list[str]) -> Iterator[tuple[str, str | None]]:
    """(title, the line before it) for every line that reads as a title, in order; a title broken
    over two lines is read joined. Lazily, lines flattened as they are reached: the caller stops
    at the first dated title, most often the first line or two of a report's 30 and more."""
    flats: dict[int, str] = {}

    def flat_at(i: int) -> str:
        found = flats.get(i)
        if found is None:
            found = flats[i] = _flat(lines[i])
        return found

    for i in range(len(lines)):
        flat = flat_at(i)
        before = flat_at(i - 1) if i > 0 else None
        after = flat_at(i + 1) if i + 1 < len(lines) else None
        if _names_report(flat) and _year_above(before, flat):
            yield f"{before}{flat}", flat_at(i - 2) if i > 1 else None
        elif _names_report(flat):
            yield flat, before
        elif _report_below(flat, after):
            yield f"{flat}{after}", before


def _title(doc: Document) -> tuple[str, str | None] | None:
    """(title text, the line before it) for the first line that reads as the report's title."""
    return _title_of(tuple(_title_lines(doc)), doc.title)


@lru_cache(maxsize=256)
def _title_of(lines: tuple[str, ...], page_title: str | None) -> tuple[str, str | None] | None:
    """`_title` of a document's first lines and page title (remembered: year and agency both ask)."""
    first = None
    for candidate in _title_candidates(list(lines)):
        if _dated(candidate[0]):
            return candidate  # the first dated title wins
        first = first or candidate
    if first is not None:  # else the first title
        return first
    if page_title:
        flat = _flat(SITE_SEPARATORS.split(page_title)[0])
        if any(w in flat for w in TITLE_WORDS):
            return flat, None
    return None


def find_agency(doc: Document) -> str | None:
    found = _title(doc)
    if found:
        title, before = found
        m = TITLE.match(title)
        if m:
            for part in (m.group("pre"), m.group("mid")):
                name = _clean_agency(part)
                if name:
                    return name
        if before and len(before) <= 30 and _clean_agency(before):
            return _clean_agency(before)
        if doc.title:
            m = TITLE.match(_flat(SITE_SEPARATORS.split(doc.title)[0]))
            if m:
                name = _clean_agency(m.group("pre")) or _clean_agency(m.group("mid"))
                if name:
                    return name
    return _signature_agency(doc)


def _signature_agency(doc: Document) -> str | None:
    lines = [_flat(line) for p in doc.paragraphs[-12:] for line in p.splitlines() if line.strip()]
    for i in range(len(lines) - 1, -1, -1):
        if _parse_date(lines[i]) and len(lines[i]) <= 40:
            before = CN_DATE.split(lines[i])[0] if CN_DATE.search(lines[i]) else ""
            for cand in (before, lines[i - 1] if i > 0 else ""):
                name = _clean_agency(cand)
                if name and name.endswith(ORGANISATION_ENDINGS):
                    return name
    return None


def find_year(doc: Document) -> int | None:
    return find_year_and_source(doc, find_published(doc))[0]


def find_year_and_source(doc: Document, published: date | None) -> tuple[int | None, YearSource | None]:
    """The report year and where it was read (form.record.YearSource), most reliable first: the
    title; the statistics period; the year before the publication date (form.deadlines); the
    year the opening text names most. The publication date comes before the text, whose years
    are often the signature's own (the year after) or next year's plans."""
    found = _title(doc)
    if found:
        m = re.search(YEAR_MARK, found[0])
        if m:
            return int(m.group(1)), "title"
    text = _flat("\n".join(doc.paragraphs[:40]))
    m = STATISTICS_PERIOD.search(text)
    if m:
        return int(m.group(1)), "period"
    if published is not None:
        return year_published_for(published), "published"
    years = re.findall(YEAR_MARK, text)
    if years:
        # the most named; a tie goes to the year named first (a set would break it by string hash,
        # which changes from one process to the next)
        return int(max(dict.fromkeys(years), key=years.count)), "text"
    return None, None


def _parse_date(text: str) -> date | None:
    for pattern in (CN_DATE, _ISO_DATE):
        m = pattern.search(text)
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
    m = CN_NUMERAL_DATE.search(text)
    if m:
        try:
            year = int("".join(str(CN_DIGIT_VALUES[c]) for c in m.group(1)))
            return date(year, _cn_number(m.group(2)), _cn_number(m.group(3)))
        except (ValueError, KeyError):
            return None
    return None


def _cn_number(text: str) -> int:
    if text == CN_TEN:
        return 10
    if text.startswith(CN_TEN):
        return 10 + CN_DIGIT_VALUES[text[1]]
    if text.endswith(CN_TEN):
        return CN_DIGIT_VALUES[text[0]] * 10
    if CN_TEN in text:
        return CN_DIGIT_VALUES[text[0]] * 10 + CN_DIGIT_VALUES[text[2]]
    return CN_DIGIT_VALUES[text]


def find_published(doc: Document) -> date | None:
    """The date under the signature; else a 发布日期 the page prints near the top."""
    lines = [_flat(line) for p in doc.paragraphs[-12:] for line in p.splitlines() if line.strip()]
    for line in reversed(lines):
        if len(line) <= 40:
            d = _parse_date(line)
            if d and not PERIOD_WORDS.search(line):
                return d
    for p in doc.paragraphs[:15]:
        flat = _flat(p)
        m = PUBLISHED_AT.search(flat)
        if m:
            d = _parse_date(m.group(3))
            if d:
                return d
    return None


#: Each section's heading pattern and normalised words, made once.
_SECTION_HEADINGS = tuple(
    (numeral, re.compile(rf"^{numeral}{HEADING_AFTER_NUMERAL}"), tuple(normalise_label(w) for w in words))
    for numeral, _label, words in SECTIONS
)


@lru_cache(maxsize=16384)
def section_of_heading(text: str) -> str | None:
    """The section numeral (一…六) a line heads, or None when it is no section heading."""
    flat = _flat(text)
    if len(flat) > 40:
        return None
    for numeral, heading, words in _SECTION_HEADINGS:
        if heading.match(flat) and any(w in normalise_label(flat) for w in words):
            return numeral
    return None


def narrative_sections(doc: Document) -> dict[str, str]:
    """The text under each of the six section headings (tables left out)."""
    order = [n for n, _, _ in SECTIONS]
    out: dict[str, list[str]] = {}
    current: str | None = None
    for para in doc.paragraphs:
        for line in para.splitlines():
            numeral = section_of_heading(line)
            if numeral and (current is None or order.index(numeral) > order.index(current)):
                current = numeral
                out.setdefault(numeral, [])
                continue
            if current and line.strip():
                out[current].append(line.strip().strip(IDEOGRAPHIC_SPACE))
    if doc.wrapped:
        return {n: _unwrap(out[n]) for n in order if n in out}
    return {n: "\n".join(out[n]) for n in order if n in out}


def _unwrap(lines: list[str]) -> str:
    """Lines broken at the page margin joined back into paragraphs."""
    paras: list[str] = []
    for line in lines:
        if paras and not paras[-1].endswith(PARAGRAPH_END) and not PARAGRAPH_START.match(line):
            paras[-1] += line
        else:
            paras.append(line)
    return "\n".join(paras)
