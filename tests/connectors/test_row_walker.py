"""The row walk itself: text lines as rows between the tables' sections, rows found by label, 小计 noted."""

from __future__ import annotations

from connectors.document import Document
from connectors.row_walker import Row, Walker, line_rows


def test_text_rows_run_from_section_two_to_section_five_without_page_footers() -> None:
    doc = Document(
        blocks=[
            "一、总体情况\n本年度共收到申请 13 件",
            "二、主动公开政府信息情况\n规章 0 0 0",
            "- 2 -",
            "行政规范性\n文件 3 1 20",
            "五、存在的主要问题及改进情况\n问题 1 2",
        ]
    )
    rows = [r.cells for r in line_rows(doc)]
    assert rows == [["二、主动公开政府信息情况规章", "0", "0", "0"], ["行政规范性文件", "3", "1", "20"]]


def test_a_labelled_row_takes_its_values_and_the_table_it_belongs_to() -> None:
    rows = [Row.of(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]), Row.of(["规章", "1", "0", "5"])]
    found = Walker("2021", {2, 3, 4}).walk(rows)
    assert found.rows == {(2, "rules"): ["1", "0", "5"]}
    assert found.seen_tables == {2}


def test_a_subtotal_printed_before_the_first_organisation_column_is_noted() -> None:
    header = ["申请人情况", "自然人", "小计", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    found = Walker("2021", {3}).walk([Row.of(header)])
    assert found.with_entities and found.entities_first
    found = Walker("2021", {3}).walk([Row.of([*header[:2], *header[3:8], "小计", "总计"])])
    assert found.with_entities and not found.entities_first


def test_a_label_naming_two_rows_goes_to_the_one_not_yet_found() -> None:
    # 上年结转 is found first; a later label holding both 本年新收 and 上年结转 (equal matches, and
    # 上年结转 nearer the printed order) is the row not yet found, not a second 上年结转
    header = ["申请人情况", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    carried = ["上年结转", "1", "0", "0", "0", "0", "0", "1"]
    both = ["本年新收上年结转", "2", "0", "0", "0", "0", "0", "2"]
    found = Walker("2021", {3}).walk([Row.of(header), Row.of(carried), Row.of(both)])
    assert found.rows[(3, "carried_in")] == carried[1:]
    assert found.rows[(3, "new")] == both[1:]
    assert not found.problems
