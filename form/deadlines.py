"""When a report must be published (FORMAT.md): departments by 31 January, a government's own
(本级) report by 31 March, of the year after the report year.

Whether an agency is a government is judged elsewhere (from its printed name in the checks, from
its registry level in the aggregation); the dates themselves live only here.
"""

from __future__ import annotations

from datetime import date

#: (month, day) of the year after the report year
DEPARTMENT_DEADLINE = (1, 31)
GOVERNMENT_DEADLINE = (3, 31)


#: The first report year: the 条例 took effect on 1 May 2008.
FIRST_REPORT_YEAR = 2008


def plausible_years(today: date) -> range:
    """Report years a report can be on (year.plausible): 2008 to the year after today's."""
    return range(FIRST_REPORT_YEAR, today.year + 2)


def publication_deadline(year: int, *, government: bool) -> date:
    """The last on-time publication day of a report on `year`."""
    month, day = GOVERNMENT_DEADLINE if government else DEPARTMENT_DEADLINE
    return date(year + 1, month, day)


def year_published_for(published: date) -> int:
    """The report year of a report whose title names none, from its publication date: a report is
    on a finished calendar year, published from 1 January of the next (by 31 January or 31 March,
    a late one later that year), so one published in year Y is on Y-1. Never Y itself: the issue's
    report loaded under the next year took the signature date's year."""
    return published.year - 1
