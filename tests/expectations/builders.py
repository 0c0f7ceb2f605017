"""Hand-made reports for rule tests: complete, consistent records of either version.

`report()` gives a report that passes every rule (all six sections, every cell, sums that add up,
published on time); a test changes what it needs and states the findings it expects.
"""

from __future__ import annotations

import hashlib
from datetime import date
from itertools import count

from form import catalogue as cat
from form.record import Report, Source

APPLICANTS = ("natural", "commercial", "research", "social", "legal", "other")
_HEAD = ("new", "carried_in", "processed_total", "carried_out")
#: Non-zero figures of a consistent table 3: row → column → value (totals are computed).
T3_FIGURES: dict[str, dict[str, int]] = {
    "new": {"natural": 10, "commercial": 2, "social": 1},
    "carried_in": {"natural": 1},
    "granted": {"natural": 5, "commercial": 2, "social": 1},
    "partial": {"natural": 1},
    "unable_not_held": {"natural": 2},
    "rejected_duplicate": {"natural": 1},
    "carried_out": {"natural": 2},
}
T4_FIGURES: dict[str, dict[str, int]] = {"review": {"upheld": 1, "other": 1}, "suit_direct": {"pending": 1}}
NARRATIVE = {
    "一": "（一）主动公开情况。本年度主动公开政府信息120条。（二）依申请公开情况。本年度共收到政府信息公开申请13件。",
    "二": "",
    "三": "",
    "四": "",
    "五": "存在的主要问题：政策解读形式单一。改进措施：丰富解读形式。",
    "六": "本年度未收取信息处理费。",
}
_serial = count()


def t3_cells(
    figures: dict[str, dict[str, int]] | None = None,
    *,
    version: cat.Version = "2021",
    other_single_row: bool = False,
    with_entities: bool = False,
) -> dict[str, int]:
    """Every table 3 cell of the layout, totals and processed_total computed from `figures`."""
    figures = T3_FIGURES if figures is None else figures
    rows = [r.id for r in cat.rows(version, 3)]
    if version == "2021" and other_single_row:
        at = rows.index(cat.T3_OTHER_ITEM_ROWS[0])
        rows = [r for r in rows if r not in cat.T3_OTHER_ITEM_ROWS]
        rows.insert(at, cat.T3_OTHER_ALL_ROW)
    out: dict[str, int] = {}
    columns = [c.id for c in cat.t3_columns(with_entities)]
    outcome_rows = [r for r in rows if r not in _HEAD]
    for row in rows:
        for col in APPLICANTS:
            if row == "processed_total":
                value = sum(figures.get(r, {}).get(col, 0) for r in outcome_rows)
            else:
                value = figures.get(row, {}).get(col, 0)
            out[f"t3.{row}.{col}"] = value
        out[f"t3.{row}.total"] = sum(out[f"t3.{row}.{c}"] for c in APPLICANTS)
        if with_entities:
            out[f"t3.{row}.entities"] = sum(out[f"t3.{row}.{c}"] for c in cat.T3_ORGANISATION_COLUMNS)
    return {k: out[k] for k in (f"t3.{r}.{c}" for r in rows for c in columns)}


def t4_cells(figures: dict[str, dict[str, int]] | None = None) -> dict[str, int]:
    figures = T4_FIGURES if figures is None else figures
    out: dict[str, int] = {}
    for spec in cat.T4_ROWS:
        values = {c.id: figures.get(spec.id, {}).get(c.id, 0) for c in cat.T4_COLUMNS if c.id != "total"}
        out.update({f"t4.{spec.id}.{c}": v for c, v in values.items()})
        out[f"t4.{spec.id}.total"] = sum(values.values())
    return out


def t2_cells(version: cat.Version = "2021") -> dict[str, int | float]:
    if version == "2021":
        return {
            "t2.rules.issued": 0,
            "t2.rules.repealed": 0,
            "t2.rules.in_force": 0,
            "t2.normative.issued": 3,
            "t2.normative.repealed": 1,
            "t2.normative.in_force": 20,
            "t2.licensing.decisions": 10,
            "t2.penalty.decisions": 5,
            "t2.coercion.decisions": 1,
            "t2.fees.amount": 1.5,
        }
    out: dict[str, int | float] = {c.id: 0 for c in cat.cells("2019", 2)}
    out.update({"t2.normative.made": 2, "t2.licensing.decisions": 4, "t2.procurement.amount": 12.5})
    return out


def report(
    agency: str = "东安县教育局",
    year: int = 2023,
    *,
    version: cat.Version | None = None,
    published: date | None | str = "on_time",
    other_single_row: bool = False,
    with_entities: bool = False,
    path: str | None = None,
    t3: dict[str, dict[str, int]] | None = None,
    **cells: int | float | None,
) -> Report:
    """A complete report, consistent unless told otherwise.

    `t3` changes figures of table 3 with its totals kept consistent ({"new": {"natural": 9}});
    keyword cells (t3__new__natural=5) override single printed cells and nothing else.
    """
    version = version or ("2021" if year >= 2021 else "2019")
    figures = (
        {row: {**T3_FIGURES.get(row, {}), **t3.get(row, {})} for row in {*T3_FIGURES, *(t3 or {})}}
        if t3
        else None
    )
    values: dict[str, int | float | None] = {
        **t2_cells(version),
        **t3_cells(figures, version=version, other_single_row=other_single_row, with_entities=with_entities),
        **t4_cells(),
    }
    for key, value in cells.items():
        cid = key.replace("__", ".")
        assert cid in cat.all_cells(), cid
        values[cid] = value
    path = path or f"/reports/{agency}_{year}_{next(_serial)}.txt"
    return Report(
        source=Source(path=path, sha256=hashlib.sha256(path.encode()).hexdigest(), media_type="text/plain"),
        agency=agency,
        year=year,
        version=version,
        published=date(year + 1, 1, 20) if published == "on_time" else published,
        cells=values,
        narrative=dict(NARRATIVE),
    )
