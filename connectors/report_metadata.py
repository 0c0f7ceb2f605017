"""Who printed a report, for which year, when, and its narrative sections.

The title (body heading, else the page's <title>) names the agency and the year; the signature
at the end names the agency again and the date of publication.
"""

from __future__ import annotations

import re
from datetime import date

from connectors.document import Document
from form.catalogue import SECTIONS
from form.labels import fold_width, normalise_label

_TITLE_WORDS = ("政府信息公开", "信息公开")
_REPORT_WORDS = ("年度报告", "工作报告", "年报", "报告")
_YEAR = r"((?:19|20)\d{2})"
_TITLE = re.compile(rf"^(?P<pre>.*?){_YEAR}年度?(?P<mid>.*?)(?:政府)?信息公开")
_STRIP_SUFFIX = ("关于", "的", "发布", "公布")
_SITE_SEPARATORS = re.compile(r"[_|｜]| - |—")
_ISO_DATE = re.compile(rf"{_YEAR}[-/.](\d{{1,2}})[-/.](\d{{1,2}})")
_CN_DATE = re.compile(rf"{_YEAR}年(\d{{1,2}})月(\d{{1,2}})日")
_CN_NUMERAL_DATE = re.compile(r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0}
_ORG_ENDINGS = ("政府", "办公室", "局", "委员会", "委", "办事处", "中心", "厅", "院", "署", "部", "管委会", "实验区", "区", "所", "站", "队", "会")


def _flat(text: str) -> str:
    return re.sub(r"[\s\u3000\u00a0]+", "", fold_width(text))


def _title_lines(doc: Document) -> list[str]:
    paras = [p for p in doc.paragraphs[:30] for p in p.splitlines() if p.strip()]
    return paras


def _clean_agency(name: str) -> str | None:
    name = name.strip("：:，,。 《》“”\"'")
    name = re.sub(r"^(关于|公布|发布)", "", name)
    changed = True
    while changed and name:
        changed = False
        for suffix in _STRIP_SUFFIX:
            if name.endswith(suffix):
                name = name[: -len(suffix)]
                changed = True
    if not name or len(name) > 40 or re.search(r"\d", name):
        return None
    return name


def _title(doc: Document) -> tuple[str, str | None] | None:
    """(title text, the line before it) for the first line that reads as the report's title."""
    lines = _title_lines(doc)
    candidates = []
    for i, line in enumerate(lines):
        flat = _flat(line)
        if any(w in flat for w in _TITLE_WORDS) and any(w in flat for w in _REPORT_WORDS) and len(flat) <= 60:
            candidates.append((flat, _flat(lines[i - 1]) if i > 0 else None))
    dated = [c for c in candidates if re.search(rf"{_YEAR}年", c[0])]
    if dated or candidates:
        return (dated or candidates)[0]
    if doc.title:
        flat = _flat(_SITE_SEPARATORS.split(doc.title)[0])
        if any(w in flat for w in _TITLE_WORDS):
            return flat, None
    return None


def find_agency(doc: Document) -> str | None:
    found = _title(doc)
    if found:
        title, before = found
        m = _TITLE.match(title)
        if m:
            for part in (m.group("pre"), m.group("mid")):
                name = _clean_agency(part)
                if name:
                    return name
        if before and len(before) <= 30 and _clean_agency(before):
            return _clean_agency(before)
        if doc.title:
            m = _TITLE.match(_flat(_SITE_SEPARATORS.split(doc.title)[0]))
            if m:
                name = _clean_agency(m.group("pre")) or _clean_agency(m.group("mid"))
                if name:
                    return name
    return _signature_agency(doc)


def _signature_agency(doc: Document) -> str | None:
    lines = [_flat(line) for p in doc.paragraphs[-12:] for line in p.splitlines() if line.strip()]
    for i in range(len(lines) - 1, -1, -1):
        if _parse_date(lines[i]) and len(lines[i]) <= 40:
            before = _CN_DATE.split(lines[i])[0] if _CN_DATE.search(lines[i]) else ""
            for cand in (before, lines[i - 1] if i > 0 else ""):
                name = _clean_agency(cand)
                if name and name.endswith(_ORG_ENDINGS):
                    return name
    return None


def find_year(doc: Document) -> int | None:
    found = _title(doc)
    if found:
        m = re.search(rf"{_YEAR}年", found[0])
        if m:
            return int(m.group(1))
    text = _flat("\n".join(doc.paragraphs[:40]))
    m = re.search(rf"统计期限?[自从为]?{_YEAR}年1月1日", text)
    if m:
        return int(m.group(1))
    years = re.findall(rf"{_YEAR}年", text)
    if years:
        return int(max(set(years), key=years.count))
    return None


def _parse_date(text: str) -> date | None:
    for pattern in (_CN_DATE, _ISO_DATE):
        m = pattern.search(text)
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
    m = _CN_NUMERAL_DATE.search(text)
    if m:
        try:
            year = int("".join(str(_CN_DIGITS[c]) for c in m.group(1)))
            return date(year, _cn_number(m.group(2)), _cn_number(m.group(3)))
        except (ValueError, KeyError):
            return None
    return None


def _cn_number(text: str) -> int:
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_DIGITS[text[1]]
    if text.endswith("十"):
        return _CN_DIGITS[text[0]] * 10
    if "十" in text:
        return _CN_DIGITS[text[0]] * 10 + _CN_DIGITS[text[2]]
    return _CN_DIGITS[text]


def find_published(doc: Document) -> date | None:
    """The date under the signature; else a 发布日期 the page prints near the top."""
    lines = [_flat(line) for p in doc.paragraphs[-12:] for line in p.splitlines() if line.strip()]
    for line in reversed(lines):
        if len(line) <= 40:
            d = _parse_date(line)
            if d and not re.search(r"统计|期限|至", line):
                return d
    for p in doc.paragraphs[:15]:
        flat = _flat(p)
        m = re.search(r"(发布|成文|公开)(日期|时间)[:：]?(.{6,20})", flat)
        if m:
            d = _parse_date(m.group(3))
            if d:
                return d
    return None


def section_of_heading(text: str) -> str | None:
    """The section numeral (一…六) a line heads, or None when it is no section heading."""
    flat = _flat(text)
    if len(flat) > 40:
        return None
    for numeral, _label, words in SECTIONS:
        if re.match(rf"^{numeral}[、，,.．\s]", flat) and any(normalise_label(w) in normalise_label(flat) for w in words):
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
                out[current].append(line.strip().strip("\u3000"))
    if doc.wrapped:
        return {n: _unwrap(out[n]) for n in order if n in out}
    return {n: "\n".join(out[n]) for n in order if n in out}


_PARAGRAPH_END = ("。", "！", "？", "；", "：", ":", "…", "”")
_PARAGRAPH_START = re.compile(r"^(（[一二三四五六七八九十\d]+）|[一二三四五六七八九十]+[、是]|\d+[.、．])")


def _unwrap(lines: list[str]) -> str:
    """Lines broken at the page margin joined back into paragraphs."""
    paras: list[str] = []
    for line in lines:
        if paras and not paras[-1].endswith(_PARAGRAPH_END) and not _PARAGRAPH_START.match(line):
            paras[-1] += line
        else:
            paras.append(line)
    return "\n".join(paras)
