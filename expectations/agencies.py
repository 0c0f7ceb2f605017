"""What an agency's printed name says about it: whose report it is, its deadline, its 规章 power.

Reports carry no level or region code, only the name the agency prints, so the soft rules that
depend on the level (timeliness.published, semantic.rules_power) judge it from the name, the way
a reader at the 政务公开办 would. Each judgement lives in exactly one function here.
"""

from __future__ import annotations

from datetime import date

from form.agency_names import (
    CITY_UNIT,
    NO_RULE_POWER_ENDINGS,
    PLACE_ENDINGS,
    RULE_POWER_ENDINGS,
    government_place,
    region_units,
)
from form.deadlines import publication_deadline
from form.labels import normalise_label


def _key(name: str | None) -> str:
    return normalise_label(name or "")


def _government_place(name: str | None) -> str | None:
    """The place part of a government's own name (淮安市 of 淮安市人民政府); None for a department."""
    key = _key(name)
    if not key:
        return None
    place = government_place(key)
    if place is not None:
        return place
    return key if key.endswith(PLACE_ENDINGS) else None


def is_own_government_report(agency: str | None) -> bool:
    """True when the name is a government's own (本级) report: 淮安市人民政府, 某镇人民政府, 平潭综合实验区.

    A government's office (人民政府办公室/办公厅), a department (教育局) and a 街道办事处 report as
    departments. A township government counts as a government here; FORMAT.md gives 31 March to
    a government's own report without naming the level.
    """
    return _government_place(agency) is not None


def deadline(agency: str | None, year: int | None) -> date | None:
    """The last on-time day for the report on `year`: 31 March for a 本级 government, else 31 January."""
    if year is None or not _key(agency):
        return None
    return publication_deadline(year, government=is_own_government_report(agency))


def has_rule_power(agency: str | None) -> bool | None:
    """Whether the agency may report 规章 (t2.rules.*); None when the name is unknown.

    Provinces, autonomous regions, 直辖市, cities with districts (设区的市) and autonomous
    prefectures make 规章; departments, counties, districts, townships, streets and development
    zones do not. A 市 cannot be told to be prefecture-level from its name alone, so every city
    gets the benefit of the doubt unless its name puts it under another city (嘉兴市海宁市): the
    rule is soft and a warning must not be raised on a city that has the power.
    """
    if not _key(agency):
        return None
    place = _government_place(agency)
    if place is None:
        return False
    if place.endswith(RULE_POWER_ENDINGS):
        return True
    if place.endswith(NO_RULE_POWER_ENDINGS):
        return False
    units = region_units(place)
    if units and units[-1] == CITY_UNIT:
        # a 市 under another 市 is county-level (嘉兴市海宁市)
        return units.count(CITY_UNIT) < 2
    return False
