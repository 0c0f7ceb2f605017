"""Publication dates: on time for the agency's deadline, or late for any reading of it.

FORMAT.md: departments publish by 31 January, a county-or-above government's own report by
31 March. Townships are dated by 31 January when on time and after 31 March when late, so a
check that reads either deadline for them agrees with the truth.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from form.deadlines import publication_deadline
from synth.registry import Agency


def _between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def deadline(agency: Agency, year: int) -> date:
    """The last on-time day for the agency's report on `year`."""
    return publication_deadline(year, government=agency.is_own_government_report)


def on_time(rng: random.Random, agency: Agency, year: int) -> date:
    return _between(rng, date(year + 1, 1, 8), deadline(agency, year))


def late(rng: random.Random, agency: Agency, year: int) -> date:
    if agency.level == "department":
        return _between(rng, date(year + 1, 2, 1), date(year + 1, 4, 30))
    return _between(rng, date(year + 1, 4, 1), date(year + 1, 5, 31))
