"""The registry CSV an operator supplies (and the generator writes): its columns and levels.

One row per agency name period: a renamed agency has a row per name (valid_from/valid_to, in
report years); a merged one names its successor. Read by `warehouse.registry`, written by `synth`.
"""

from __future__ import annotations

from typing import Literal

Level = Literal["province", "city", "county", "township", "department"]
LEVELS: tuple[Level, ...] = ("province", "city", "county", "township", "department")

REGISTRY_COLUMNS = (
    "agency_id",
    "name",
    "level",
    "region_code",
    "parent_id",
    "email",
    "valid_from",
    "valid_to",
    "successor_id",
)
REQUIRED_COLUMNS = ("agency_id", "name", "level", "region_code")
