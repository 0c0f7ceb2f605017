"""Reports and registries for warehouse tests and the load bench, built from the form catalogue.

Every report is internally consistent (rows add up, table 3 balances, table 4 totals hold), so a
test that wants a defect adds it on purpose. The bytes a report "came from" are its JSON, so its
sha256 changes exactly when its content (or `salt`) does.
"""

from __future__ import annotations

import hashlib
import json
import random
from datetime import date, datetime

from form import catalogue as cat
from form.catalogue import Version
from form.record import Finding, Report, Source
from form.rules import RULES_BY_ID
from warehouse.records import CheckedSubmission

APPLICANTS = tuple(c.id for c in cat.T3_COLUMNS if c.id != "total")
_HEAD = ("new", "carried_in", "processed_total", "carried_out")

REGISTRY_CSV = """agency_id,name,level,region_code,parent_id,email,valid_from,valid_to,successor_id
320000,江苏省人民政府,province,320000,,gk@js.example,,,
320800,淮安市人民政府,city,320800,320000,gk@ha.example,,,
320813,淮安市洪泽区人民政府,county,320813,320800,gk@hz.example,,,
320813-D16,洪泽区文化广电新闻出版局,department,320813,320813,wh@hz.example,2019,2019,
320813-D16,洪泽区文化和旅游局,department,320813,320813,wh@hz.example,2020,,
320813-D02,洪泽区教育局,department,320813,320813,jy@hz.example,,,
320812,淮安市清江浦区人民政府,county,320812,320800,gk@qjp.example,,,
320812-D02,清江浦区教育局,department,320812,320812,jy@qjp.example,,,
320812-D09,清江浦区粮食局,department,320812,320812,ls@qjp.example,2019,2020,320812-D10
320812-D10,清江浦区发展和改革局,department,320812,320812,fg@qjp.example,,,
321300,宿迁市人民政府,city,321300,320000,gk@sq.example,,,
321302,宿迁市宿城区人民政府,county,321302,321300,gk@sc.example,,,
321302-D02,宿城区教育局,department,321302,321302,jy@sc.example,,,
320900,盐城市人民政府,city,320900,320000,gk@yc.example,,,
320902,盐城市亭湖区人民政府,county,320902,320900,gk@th.example,,,
320902-D02,亭湖区教育局,department,320902,320902,jy@th.example,,,
321100,镇江市人民政府,city,321100,320000,gk@zj.example,,,
321102,镇江市亭湖区人民政府,county,321102,321100,gk@zjth.example,,,
"""
"""A small province: a rename (D16 in 2020), a merge (D09 into D10 after 2020), and two districts
called 亭湖区 in different cities, so 「亭湖区人民政府」 alone is ambiguous."""


def table3(rng: random.Random, scale: int, *, other_single_row: bool, entities: bool) -> dict[str, int]:
    rows = [r.id for r in cat.T3_ROWS["2021"] if r.id not in _HEAD]
    values: dict[str, int] = {}
    for applicant in APPLICANTS:
        outcome = {r: rng.randint(0, scale) if rng.random() < 0.6 else 0 for r in rows}
        processed = sum(outcome.values())
        carried_out = rng.randint(0, scale)
        carried_in = rng.randint(0, processed + carried_out)
        outcome.update(
            new=processed + carried_out - carried_in,
            carried_in=carried_in,
            processed_total=processed,
            carried_out=carried_out,
        )
        if other_single_row:
            outcome["other_all"] = sum(outcome.pop(r) for r in cat.T3_OTHER_ITEM_ROWS)
        for row, value in outcome.items():
            values[cat.cell_id(3, row, applicant)] = value
    for row in {cat.cell_spec(c).row for c in values}:
        parts = [values[cat.cell_id(3, row, a)] for a in APPLICANTS]
        values[cat.cell_id(3, row, "total")] = sum(parts)
        if entities:
            values[cat.cell_id(3, row, "entities")] = sum(
                values[cat.cell_id(3, row, a)] for a in cat.T3_ORGANISATION_COLUMNS
            )
    return values


def table2(rng: random.Random, version: Version, scale: int) -> dict[str, int | float]:
    out: dict[str, int | float] = {}
    for cell in cat.cells(version, 2):
        if cell.kind == "amount":
            out[cell.id] = round(rng.uniform(0, scale * 10), 2)
        elif cell.kind == "change":
            out[cell.id] = rng.randint(-scale, scale)
        else:
            out[cell.id] = rng.randint(0, scale * 5)
    return out


def table4(rng: random.Random, scale: int) -> dict[str, int]:
    out: dict[str, int] = {}
    for row in cat.T4_ROWS:
        parts = {c.id: rng.randint(0, max(1, scale // 5)) for c in cat.T4_COLUMNS if c.id != "total"}
        out.update({cat.cell_id(4, row.id, c): v for c, v in parts.items()})
        out[cat.cell_id(4, row.id, "total")] = sum(parts.values())
    return out


def make_report(
    agency: str,
    year: int,
    seed: int | str = 0,
    *,
    scale: int = 20,
    other_single_row: bool = False,
    entities: bool = False,
    salt: str = "",
    media_type: str = "text/html",
) -> Report:
    """A consistent report of `agency` for `year` on the version the year should use."""
    rng = random.Random(f"{agency}:{year}:{seed}")
    version: Version = "2021" if year >= 2021 else "2019"
    cells: dict[str, int | float | None] = {}
    cells.update(table2(rng, version, scale))
    cells.update(
        table3(rng, scale, other_single_row=other_single_row or version == "2019", entities=entities)
    )
    cells.update(table4(rng, scale))
    body = json.dumps(
        {"agency": agency, "year": year, "cells": cells, "salt": salt}, ensure_ascii=False, sort_keys=True
    )
    sha = hashlib.sha256(body.encode()).hexdigest()
    return Report(
        source=Source(
            path=f"{agency}_{year}{'_' + salt if salt else ''}.html", sha256=sha, media_type=media_type
        ),
        agency=agency,
        year=year,
        version=version,
        published=date(year + 1, 1, 20),
        cells=cells,
    )


def checked(
    report: Report, findings: list[Finding] | None = None, received_at: datetime | None = None
) -> CheckedSubmission:
    return CheckedSubmission.of(report.source, report, findings or [], received_at=received_at)


def hard(rule: str = "t3.balance", cells: list[str] | None = None) -> Finding:
    """A hard finding as the checks would report it."""
    assert RULES_BY_ID[rule].severity == "hard"
    return Finding(
        rule=rule,
        severity="hard",
        cells=cells or ["t3.new.total", "t3.carried_in.total"],
        printed=5,
        expected=6,
        message="test",
    )


def soft(rule: str = "timeliness.published") -> Finding:
    return Finding(rule=rule, severity="soft", cells=[], message="test")


def quarantined(name: str, reason: str = "not a report") -> CheckedSubmission:
    data = f"unreadable:{name}".encode()
    source = Source(path=name, sha256=hashlib.sha256(data).hexdigest(), media_type="application/octet-stream")
    return CheckedSubmission.of(source, None, reason=reason)
