"""Agency names as a person compares them: 洪泽区人民政府 is 淮安市洪泽区人民政府.

Agencies print their own names differently from year to year: with or without the higher-level
region in front, 人民政府 or 政府, full-width or half-width brackets. Two names name the same agency
when their keys are equal, or when one key is the other preceded only by region names.

Every suffix a name is judged by lives here, each list once: the units of a place (region
prefixes, a bare place standing for its government, 规章 power), the endings of a government's
own name, of a township's, and of any organisation's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from form.labels import normalise_label

#: Units a place name ends with, from province to street (淮安市, 洪泽区, 嘉洲镇, 嘉洲街道).
REGION_UNITS = (
    "省",
    "自治区",
    "特别行政区",
    "市",
    "自治州",
    "地区",
    "盟",
    "州",
    "县",
    "自治县",
    "旗",
    "区",
    "新区",
    "实验区",
    "镇",
    "乡",
    "街道",
)
#: Units below the county: a bare 某镇 names a place, not the government that prints a report.
TOWNSHIP_PLACE_UNITS = ("镇", "乡", "街道")
#: Endings of a bare place name that stands for that place's government (平潭综合实验区).
PLACE_ENDINGS = tuple(u for u in REGION_UNITS if u not in TOWNSHIP_PLACE_UNITS)
#: The unit of a city: a 市 under another 市 is county-level (嘉兴市海宁市).
CITY_UNIT = "市"
#: Endings of a government's own name (its 本级 report); the longer of two variants first.
GOVERNMENT_ENDINGS = ("人民政府", "政府", "管委会", "管理委员会")
#: The four 直辖市: provincial level, so they make 规章.
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
#: Places whose governments make 规章 (FORMAT.md, semantic.rules_power), besides cities with districts.
RULE_POWER_ENDINGS = ("省", "自治区", "自治州", "州", *MUNICIPALITIES)
#: Place units whose governments have no 规章 power (FORMAT.md, semantic.rules_power).
NO_RULE_POWER_ENDINGS = ("县", "区", "旗", "镇", "乡", "街道", "办事处", "新区", "实验区", "开发区", "地区", "盟")
#: A township's unit as its name key ends (人民政府 is already folded to 政府 by name_key).
TOWNSHIP_NAME_ENDINGS = ("街道办事处", "街道办", "街道", "镇政府", "乡政府")
#: Endings of an organisation's name: a title's words before 年度报告 name an agency only so.
ORGANISATION_ENDINGS = (
    "政府",
    "办公室",
    "局",
    "委员会",
    "委",
    "办事处",
    "中心",
    "厅",
    "院",
    "署",
    "部",
    "管委会",
    "实验区",
    "区",
    "所",
    "站",
    "队",
    "会",
)

_UNITS = "|".join(REGION_UNITS)
#: The leading place of a name (lazy: the shortest place first).
_REGION = re.compile(rf"^(.+?(?:{_UNITS}))")
#: Every unit a place name carries, left to right.
_REGION_UNIT = re.compile(rf"({_UNITS})")
_SYNONYMS = (("人民政府", "政府"),)


def name_key(name: str) -> str:
    """The name with width, spaces, punctuation and the 人民政府/政府 variant folded."""
    key = normalise_label(name)
    for long, short in _SYNONYMS:
        key = key.replace(long, short)
    return key


def _only_regions(prefix: str) -> bool:
    while prefix:
        m = _REGION.match(prefix)
        if not m:
            return False
        prefix = prefix[m.end() :]
    return True


def same_agency(a: str, b: str) -> bool:
    """True when the two printed names name the same agency."""
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    short, long = sorted((ka, kb), key=len)
    # the shorter name must still say where it is (洪泽区…), not be a bare 教育局
    return long.endswith(short) and _only_regions(long[: -len(short)]) and bool(_REGION.match(short))


def matching_names(name: str, candidates: Iterable[str]) -> list[str]:
    """The candidates naming the same agency: exact key matches if any, else region-prefix ones."""
    pool = list(dict.fromkeys(candidates))
    key = name_key(name)
    exact = [c for c in pool if name_key(c) == key]
    if exact:
        return exact
    return [c for c in pool if same_agency(name, c)]


def township_stem(key: str) -> str | None:
    """The place a township-level name key names (嘉洲 of 嘉洲镇政府 / 嘉洲街道办事处); None otherwise.

    撤乡设镇 and 撤镇设街道 rename a township but keep its place: the stem is what stays.
    """
    for unit in TOWNSHIP_NAME_ENDINGS:
        if key.endswith(unit) and len(key) > len(unit):
            return key[: -len(unit)]
    return None


def government_place(name: str) -> str | None:
    """The place a government's own name names (淮安市 of 淮安市人民政府); None for any other name."""
    for ending in GOVERNMENT_ENDINGS:
        if name.endswith(ending) and len(name) > len(ending):
            return name[: -len(ending)]
    return None


def region_units(place: str) -> list[str]:
    """The units a place name carries, left to right (嘉兴市海宁市: 市, 市)."""
    return _REGION_UNIT.findall(place)
