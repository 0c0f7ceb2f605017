"""Which agency a printed name names in a year: one matcher for ingest and for `xxgk check --previous`.

The matcher knows names, each with the years it was valid and the agency it belongs to. The
warehouse gives it the registry (every name period of every agency, and the operators'
aliases); `xxgk check --previous` gives it last year's reports (each report its own agency,
valid in its own year). Both then place a printed name the same way (decision, tested):

1. an operator alias with the same key wins (`alias`);
2. names valid in the year, compared by `form.agency_names` — an equal key (`exact`), else a
   name that differs only by leading region names (`prefix`);
3. names valid in other years, for agencies active in the year (`other_year`: an old name
   printed after a rename);
4. the aliases again, region prefix optional (`alias`);
5. a township valid in the year with the same place (`township`: 嘉洲镇人民政府 renamed
   嘉洲街道办事处 by 撤镇设街道, which a registry or a pool may not know yet).

The first step that finds anything decides: one agency is a match, several are `ambiguous`
(never a guess), none is `unregistered`. A lookup narrows the names to the few whose key ends
with the printed one's or the other way round, through an index of key suffixes built once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from form.agency_names import name_key, same_agency, township_stem

MatchMethod = Literal["exact", "prefix", "other_year", "alias", "township", "unregistered", "ambiguous"]


@dataclass(frozen=True)
class NameEntry:
    """One name an agency carried, from `valid_from` to `valid_to` (report years; None: open)."""

    agency_id: str
    name: str
    valid_from: int | None = None
    valid_to: int | None = None

    def covers(self, year: int) -> bool:
        return (self.valid_from is None or self.valid_from <= year) and (
            self.valid_to is None or year <= self.valid_to
        )


@dataclass(frozen=True)
class Match:
    """The agency a printed name names, how it was found, or why there is none."""

    agency_id: str | None
    method: MatchMethod
    #: the agencies an ambiguous name could be
    candidates: tuple[str, ...] = ()


#: An entry with its name key, computed once when the matcher is built.
Keyed = tuple[str, NameEntry]
#: A step's decision over its entries: the agencies chosen, and whether a key was equal.
Decision = tuple[list[str], bool]


def _by_name(key: str, entries: list[Keyed]) -> Decision:
    """`form.agency_names.matching_names` over keys: equal keys if any, else region-prefix ones."""
    chosen = [e for k, e in entries if k == key]
    exact = bool(chosen)
    if not exact:
        chosen = [e for k, e in entries if same_agency(key, k)]
    return sorted({e.agency_id for e in chosen}), exact


def _every(key: str, entries: list[Keyed]) -> Decision:
    return sorted({e.agency_id for _, e in entries}), False


class AgencyMatcher:
    """Places printed names among known names; built once, a lookup is a few dict hits."""

    def __init__(self, names: Iterable[NameEntry], aliases: Mapping[str, str] | None = None) -> None:
        self._by_key: dict[str, list[Keyed]] = defaultdict(list)
        self._spans: dict[str, list[NameEntry]] = defaultdict(list)
        for entry in names:
            key = name_key(entry.name)
            self._by_key[key].append((key, entry))
            self._spans[entry.agency_id].append(entry)
        self._suffixes: dict[str, set[str]] = defaultdict(set)
        self._townships: dict[str, set[str]] = defaultdict(set)
        for key in self._by_key:
            # a key shorter than two characters names no place, so it can never be the shorter name
            for i in range(1, len(key) - 1):
                self._suffixes[key[i:]].add(key)
            stem = township_stem(key)
            if stem:
                self._townships[stem].add(key)
        self._aliases = {name_key(k): v for k, v in (aliases or {}).items()}
        self._alias_entries = [(key, NameEntry(agency, key)) for key, agency in self._aliases.items()]

    def active(self, agency_id: str, year: int) -> bool:
        """True when the agency carries some name in `year`."""
        return any(e.covers(year) for e in self._spans.get(agency_id, ()))

    def _named(self, key: str) -> list[Keyed]:
        """Entries whose key is `key`, ends with it, or that it ends with."""
        keys = {key, *self._suffixes.get(key, ())}
        keys.update(key[i:] for i in range(1, len(key) - 1) if key[i:] in self._by_key)
        return [ke for k in keys for ke in self._by_key.get(k, ())]

    def _same_township(self, key: str) -> list[Keyed]:
        stem = township_stem(key)
        if not stem:
            return []
        return [ke for k in sorted(self._townships.get(stem, ())) for ke in self._by_key[k]]

    def _steps(
        self, key: str, year: int
    ) -> Iterable[tuple[list[Keyed], Callable[[str, list[Keyed]], Decision], MatchMethod | None]]:
        """The steps of the module doc, 2 to 5, each computed only when the ones before found nothing.

        Step 2 looks at equal keys first: when one is valid in the year it decides, and the
        suffix index is not consulted (most names are printed as last year).
        """
        yield [(k, e) for k, e in self._by_key.get(key, ()) if e.covers(year)], _by_name, None
        named = self._named(key)
        yield [(k, e) for k, e in named if e.covers(year)], _by_name, None
        yield (
            [(k, e) for k, e in named if not e.covers(year) and self.active(e.agency_id, year)],
            _by_name,
            "other_year",
        )
        yield self._alias_entries, _by_name, "alias"
        yield [(k, e) for k, e in self._same_township(key) if e.covers(year)], _every, "township"

    def match(self, printed_name: str, year: int) -> Match:
        """The agency a name printed on a report of `year` is, or why there is none (module doc)."""
        key = name_key(printed_name)
        if not key:
            return Match(None, "unregistered")
        if key in self._aliases:
            return Match(self._aliases[key], "alias")
        for entries, decide, method in self._steps(key, year):
            if not entries:
                continue
            ids, exact = decide(key, entries)
            if len(ids) > 1:
                return Match(None, "ambiguous", tuple(ids))
            if ids:
                return Match(ids[0], method or ("exact" if exact else "prefix"))
        return Match(None, "unregistered")
