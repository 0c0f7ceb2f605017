"""The registry CSV an operator supplies (and the generator writes): its columns and levels.

One row per agency name period: a renamed agency has a row per name (valid_from/valid_to, in
report years); a merged one names its successor. Read by `warehouse.registry_file`, written by
`synth`. The words the aggregation prints for levels and for the unassigned region live here too.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

Level = Literal["province", "city", "county", "township", "department"]
LEVELS: tuple[Level, ...] = ("province", "city", "county", "township", "department")
#: Levels whose agency is a government: its own (本级) report is due 31 March, not 31 January.
GOVERNMENT_LEVELS: tuple[Level, ...] = ("province", "city", "county", "township")

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
    "consolidated",
)
REQUIRED_COLUMNS = ("agency_id", "name", "level", "region_code")
#: `consolidated` marks a government whose report is its whole region's (本级/全市/全县 汇总), to be
#: compared with the sum of its members' reports; these words (any case) mean yes, blank means no.
CONSOLIDATED_YES = ("1", "true", "yes", "y", "是")
#: Levels whose report can be consolidated for a region, and the length of the region-code prefix
#: the region's members share (province 2 digits, city 4, county all 6).
CONSOLIDATING_PREFIX: dict[Level, int] = {"province": 2, "city": 4, "county": 6}

#: How the aggregation names each level's scope (agg_status.scope_name).
LEVEL_NAMES: dict[Level, str] = {
    "province": "省级",
    "city": "市级",
    "county": "县级",
    "township": "乡镇（街道）",
    "department": "部门",
}
#: The name of the region provisional agencies belong to until `xxgk registry map` places them.
UNASSIGNED_REGION_NAME = "未分配"
#: The word for a scope's consolidated figures (the provincial 汇总).
CONSOLIDATED = "汇总"


#: An e-mail field holds exactly one address: a dot-atom local part (ASCII, no quotes), '@', and a
#: domain of non-empty labels. Lists (',' ';'), display names, spaces, quotes and line breaks are
#: refused: the field becomes a mail header, and a comma or a newline there adds recipients.
_LOCAL = r"[A-Za-z0-9!#$%&*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&*+/=?^_`{|}~-]+)*"
_LABEL = r"[^\W_](?:[\w-]*[^\W_])?"
_EMAIL = re.compile(rf"{_LOCAL}@{_LABEL}(?:\.{_LABEL})*")
#: RFC 5321: at most 254 characters in an address (the warehouse column holds 320)
MAX_EMAIL = 254


def email_problem(text: str) -> str | None:
    """Why a registry e-mail field is not exactly one usable address, or None when it is."""
    if any(unicodedata.category(c)[0] in "CZ" for c in text):
        return "holds a line break, a space or another control character"
    if "," in text or ";" in text:
        return "holds a list (one address per agency)"
    if len(text) > MAX_EMAIL:
        return f"is longer than {MAX_EMAIL} characters"
    if not _EMAIL.fullmatch(text):
        return "is not an e-mail address (name@domain)"
    return None
