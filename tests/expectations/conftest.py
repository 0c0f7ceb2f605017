"""One GX context for the whole session: importing GX and building the suite costs seconds."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from expectations.pairing import pair_previous
from form.record import Finding, Previous, Report


@pytest.fixture(scope="session")
def validator():
    from expectations.validate import Validator

    return Validator()


Check = Callable[..., list[list[Finding]]]


@pytest.fixture(scope="session")
def check(validator) -> Check:
    """Findings per report; `previous` pairs by agency name like `xxgk check --previous`."""
    from expectations.checking import check_reports

    def run(
        reports: Sequence[Report], previous: Sequence[Report] | Sequence[Previous] | None = None
    ) -> list[list[Finding]]:
        pairs = None
        if previous is not None:
            pool = list(previous)
            pairs = (
                pool if pool and isinstance(pool[0], Previous) else pair_previous(reports, [*pool, *reports])
            )
        return check_reports(list(reports), pairs, validator=validator)

    return run
