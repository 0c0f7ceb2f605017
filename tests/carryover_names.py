"""Printed name pairs (last year's, this year's) both pairing paths must decide alike.

`xxgk check --previous` pairs with a pool of last year's reports (`expectations.pairing`);
ingest pairs with the warehouse through the registry (`warehouse.previous_year`). Both go
through `form.agency_matching`, so given the same names they must say the same.
"""

from __future__ import annotations

#: (last year's printed name, this year's printed name, the status both paths must give)
CARRYOVER_CASES: tuple[tuple[str, str, str], ...] = (
    ("洪泽区人民政府", "淮安市洪泽区人民政府", "paired"),  # region prefix added
    ("淮安市清江浦区教育局", "清江浦区教育局", "paired"),  # region prefix dropped
    ("海宁市人民政府办公室", "海宁市政府办公室", "paired"),  # 人民政府 / 政府
    ("平潭 综合实验区", "平潭综合实验区", "paired"),  # spaces
    ("嘉洲镇人民政府", "嘉洲街道办事处", "paired"),  # 撤镇设街道
    ("东安乡人民政府", "东安镇人民政府", "paired"),  # 撤乡设镇
    ("西平县教育局", "教育局", "missing"),  # a bare department names no place
    ("南川县教育局", "北川县教育局", "missing"),  # another county
    ("宿城区人民政府", "宿城区人民政府办公室", "missing"),  # the government is not its office
)
#: two agencies last year that one printed name this year could both be
AMBIGUOUS_CASE = (("盐城市亭湖区人民政府", "镇江市亭湖区人民政府"), "亭湖区人民政府")
