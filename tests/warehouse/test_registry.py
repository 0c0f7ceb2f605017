"""Registry CSV → type-2 agency versions, and printed names placed with the region prefix optional."""

from __future__ import annotations

import csv
import io
import random

import pytest
from sqlalchemy import Engine, func, select, text

from form.agency_matching import AgencyMatcher, NameEntry
from form.registry_format import REGISTRY_COLUMNS
from warehouse.agency_versions import plan_versions
from warehouse.queries import table_checksums
from warehouse.regions import region_rows
from warehouse.registry import load_registry_rows
from warehouse.registry_file import RegistryError, RegistryRow, parse_registry
from warehouse.schema import DimAgency, DimRegion

from .builders import REGISTRY_CSV

HEADER = ",".join(REGISTRY_COLUMNS)


def _matcher() -> AgencyMatcher:
    rows, _ = parse_registry(REGISTRY_CSV)
    return AgencyMatcher(NameEntry(r.agency_id, r.name, r.valid_from or 1900, r.valid_to) for r in rows)


# ---- reading -----------------------------------------------------------------------------------


def test_reads_the_test_province() -> None:
    rows, warnings = parse_registry(REGISTRY_CSV)
    assert len(rows) == 18 and warnings == []
    renamed = [r for r in rows if r.agency_id == "320813-D16"]
    assert [(r.valid_from, r.valid_to) for r in renamed] == [(2019, 2019), (2020, None)]


def test_every_problem_is_listed_at_once() -> None:
    bad = (
        HEADER
        + "\nA,甲局,bureau,32080,,,,,"
        + "\nunreg-1,乙局,county,320800,,,,,"
        + "\nB,丙局,county,320800,,,2021,2020,"
        + "\nC,丁局,county,320800,,,2019,,"
        + "\nC,丁局新,county,320800,,,2020,,"
        + "\n,,county,320800,,,,,"
    )
    with pytest.raises(RegistryError) as caught:
        parse_registry(bad)
    text_ = str(caught.value)
    for needle in (
        "bureau",
        "6 digits",
        "reserved",
        "before valid_from",
        "does not end before",
        "agency_id is empty",
    ):
        assert needle in text_, needle


def test_missing_columns_are_refused() -> None:
    with pytest.raises(RegistryError, match="region_code"):
        parse_registry("agency_id,name,level\nA,甲,county\n")


def test_dangling_references_are_warnings() -> None:
    _, warnings = parse_registry(HEADER + "\nA,甲县人民政府,county,320801,ZZ,,2019,2020,YY\n")
    assert any("parent ZZ" in w for w in warnings) and any("successor YY" in w for w in warnings)


def test_regions_are_named_after_their_government_and_complete_upwards() -> None:
    rows, _ = parse_registry(REGISTRY_CSV)
    regions = {r["region_code"]: r for r in region_rows(rows)}
    assert regions["320813"]["name"] == "淮安市洪泽区" and regions["320813"]["parent_code"] == "320800"
    assert regions["320800"]["level"] == "city" and regions["320000"]["level"] == "province"
    lone = region_rows([RegistryRow("X", "某局", "department", "451203")])
    assert [r["region_code"] for r in lone] == ["450000", "451200", "451203"]


# ---- versions ----------------------------------------------------------------------------------


def test_history_file_replaces_periods() -> None:
    rows, _ = parse_registry(REGISTRY_CSV)
    first = plan_versions({}, rows, as_of=2024)
    assert len(first.inserts) == 18 and not first.updates and not first.deletes
    keyed = {}
    for key, version in enumerate(first.inserts):
        keyed.setdefault(version.agency_id, []).append((key, version))
    again = plan_versions(keyed, rows, as_of=2024)
    assert (again.inserts, again.updates, again.deletes, again.unchanged) == ([], [], [], 18)
    corrected = [
        r
        if r.agency_id != "320813-D16" or r.valid_from != 2020
        else RegistryRow(**{**r.__dict__, "name": "洪泽区文旅局"})
        for r in rows
    ]
    plan = plan_versions(keyed, corrected, as_of=2024)
    assert [v.name for _, v in plan.updates] == ["洪泽区文旅局"] and not plan.inserts


def test_snapshot_rename_closes_the_current_version() -> None:
    old = RegistryRow("A", "甲县国土资源局", "department", "320801", "320801")
    new = RegistryRow("A", "甲县自然资源和规划局", "department", "320801", "320801", email="new@x")
    first = plan_versions({}, [old], as_of=2019)
    plan = plan_versions({"A": [(1, first.inserts[0])]}, [new], as_of=2022)
    ((key, closed),) = plan.updates
    assert key == 1 and closed.name == "甲县国土资源局" and closed.valid_to == 2021
    (opened,) = plan.inserts
    assert opened.name == "甲县自然资源和规划局" and opened.valid_from == 2022
    only_email = plan_versions(
        {"A": [(1, first.inserts[0])]}, [RegistryRow(**{**old.__dict__, "email": "x@y"})], as_of=2022
    )
    assert not only_email.inserts and only_email.updates[0][1].email == "x@y"


# ---- matching ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "printed,year,agency,method",
    [
        ("淮安市洪泽区人民政府", 2021, "320813", "exact"),
        ("洪泽区人民政府", 2021, "320813", "prefix"),  # registry carries the city, the report does not
        ("江苏省淮安市洪泽区人民政府", 2021, "320813", "prefix"),
        (
            "淮安市洪泽区教育局",
            2021,
            "320813-D02",
            "prefix",
        ),  # the report carries the city, the registry does not
        ("洪泽区 教育局", 2021, "320813-D02", "exact"),
        ("洪泽区文化广电新闻出版局", 2019, "320813-D16", "exact"),
        ("洪泽区文化和旅游局", 2020, "320813-D16", "exact"),
        ("洪泽区文化广电新闻出版局", 2021, "320813-D16", "other_year"),  # the old name after the rename
        ("清江浦区粮食局", 2020, "320812-D09", "exact"),
        ("盐城市亭湖区教育局", 2021, "320902-D02", "prefix"),
    ],
)
def test_names_match(printed: str, year: int, agency: str, method: str) -> None:
    match = _matcher().match(printed, year)
    assert (match.agency_id, match.method) == (agency, method)


def test_a_name_two_cities_share_is_ambiguous_never_a_guess() -> None:
    match = _matcher().match("亭湖区人民政府", 2021)
    assert match.agency_id is None and match.method == "ambiguous"
    assert match.candidates == ("320902", "321102")


@pytest.mark.parametrize(
    "printed,year",
    [("教育局", 2021), ("洪泽区人民政府办公室", 2021), ("清江浦区粮食局", 2022), ("", 2021)],
)
def test_unregistered(printed: str, year: int) -> None:
    # a bare 教育局 names no place; a merged agency is gone after its last year
    assert _matcher().match(printed, year).method == "unregistered"


def test_an_operator_alias_wins() -> None:
    rows, _ = parse_registry(REGISTRY_CSV)
    matcher = AgencyMatcher(
        (NameEntry(r.agency_id, r.name, r.valid_from or 1900, r.valid_to) for r in rows),
        {"亭湖区人民政府": "320902", "洪泽区政府信息公开办": "320813"},
    )
    assert matcher.match("亭湖区人民政府", 2021).agency_id == "320902"
    assert matcher.match("亭湖区人民政府", 2021).method == "alias"
    assert matcher.match("淮安市洪泽区政府信息公开办", 2021).agency_id == "320813"


# ---- database ----------------------------------------------------------------------------------


def test_loading_twice_changes_nothing(registered: Engine) -> None:
    rows, _ = parse_registry(REGISTRY_CSV)
    with registered.connect() as conn:
        before = table_checksums(conn, ["dim_region", "agency", "dim_agency"])
    with registered.begin() as conn:
        result = load_registry_rows(conn, rows, as_of=2024)
    assert (result.inserted, result.updated, result.deleted, result.unchanged) == (0, 0, 0, 18)
    with registered.connect() as conn:
        assert table_checksums(conn, ["dim_region", "agency", "dim_agency"]) == before


def test_snapshot_reload_keeps_history_and_one_current_version(registered: Engine) -> None:
    snapshot = HEADER + "\n320813-D02,洪泽区教育体育局,department,320813,320813,jy@hz.example,,,\n"
    rows, _ = parse_registry(snapshot)
    with registered.begin() as conn:
        result = load_registry_rows(conn, rows, as_of=2023)
    assert (result.inserted, result.updated) == (1, 1)
    t = DimAgency.__table__
    with registered.connect() as conn:
        versions = conn.execute(
            select(t.c.name, t.c.valid_from, t.c.valid_to, t.c.is_current)
            .where(t.c.agency_id == "320813-D02")
            .order_by(t.c.valid_from)
        ).all()
        assert [tuple(v) for v in versions] == [
            ("洪泽区教育局", 1900, 2022, False),
            ("洪泽区教育体育局", 2023, None, True),
        ]
        per_agency = (
            select(t.c.agency_id, func.count().label("n"))
            .where(t.c.is_current.is_(True))
            .group_by(t.c.agency_id)
            .subquery()
        )
        assert conn.execute(select(func.max(per_agency.c.n))).scalar() == 1


def test_regions_loaded(registered: Engine) -> None:
    r = DimRegion.__table__
    with registered.connect() as conn:
        names = dict(conn.execute(select(r.c.region_code, r.c.name)).all())
    assert names["320813"] == "淮安市洪泽区" and names["000000"] == "未分配"


def test_synth_registry_loads(engine: Engine) -> None:
    """The contract with synth/ (issue 3): its registry.csv loads as is, renames and merges included."""
    from synth.registry import build_registry, registry_rows

    years = range(2019, 2025)
    agencies = build_registry(300, years, random.Random(5))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(REGISTRY_COLUMNS)
    written = registry_rows(agencies, years)
    writer.writerows(written)
    rows, _ = parse_registry(out.getvalue())
    with engine.begin() as conn:
        result = load_registry_rows(conn, rows, as_of=2024)
    assert result.agencies == len(agencies) and result.inserted == len(written)
    with engine.connect() as conn:
        current = conn.execute(text("SELECT COUNT(*) FROM dim_agency WHERE is_current = TRUE")).scalar()
        merged = conn.execute(text("SELECT COUNT(*) FROM dim_agency WHERE successor_id IS NOT NULL")).scalar()
    assert current == len(agencies)
    assert merged == sum(1 for a in agencies if a.successor_id)
    matcher = AgencyMatcher(NameEntry(r.agency_id, r.name, r.valid_from or 1900, r.valid_to) for r in rows)
    for agency in agencies:
        for year in years:
            if agency.active(year):
                assert matcher.match(agency.name_in(year), year).agency_id == agency.id
