"""The 行政区划 hierarchy the registry implies: each code's level and parent, named after its government.

A code says its own level (province xx0000, city xxxx00, county otherwise) and its parent, so
dim_region is complete upwards from the codes the registry uses, even where the file names no
government for a city or province (the code then stands for its name until one does).
"""

from __future__ import annotations

from collections.abc import Sequence

from form.agency_names import government_place
from warehouse.registry_file import RegistryRow
from warehouse.schema import SINCE_EVER, UNASSIGNED_REGION

#: registry levels whose agency is the government a region is named after
GOVERNMENT_LEVELS = ("province", "city", "county")


def region_level(code: str) -> str:
    """province (xx0000) · city (xxxx00) · county · unassigned (000000), read from the code itself."""
    if code == UNASSIGNED_REGION:
        return "unassigned"
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


def region_parent(code: str) -> str | None:
    """The code one level up (None for a province or the unassigned region)."""
    level = region_level(code)
    if level == "county":
        return code[:4] + "00"
    if level == "city":
        return code[:2] + "0000"
    return None


def region_rows(rows: Sequence[RegistryRow]) -> list[dict[str, object]]:
    """dim_region rows for every code the registry uses (and their parents), named after their government."""
    names: dict[str, tuple[int, str]] = {}
    for r in rows:
        if r.level in GOVERNMENT_LEVELS:
            start = r.valid_from if r.valid_from is not None else SINCE_EVER
            if r.region_code not in names or start >= names[r.region_code][0]:
                names[r.region_code] = (start, government_place(r.name) or r.name)
    codes: set[str] = set()
    for r in rows:
        code: str | None = r.region_code
        while code and code not in codes:
            codes.add(code)
            code = region_parent(code)
    return [
        {
            "region_code": code,
            "name": names[code][1] if code in names else code,
            "level": region_level(code),
            "parent_code": region_parent(code),
        }
        for code in sorted(codes)
    ]
