"""The official template as data: every cell of both versions, with the labels agencies print.

This module is the only place where the template's Chinese labels are spelled. Row aliases are
written as printed and normalised once at import; matching code only ever sees normalised text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from form.labels import normalise_label

Version = Literal["2021", "2019"]
VERSIONS: tuple[Version, ...] = ("2021", "2019")
ValueKind = Literal["count", "amount", "change"]

TABLE_TITLES = {
    2: "二、主动公开政府信息情况",
    3: "三、收到和处理政府信息公开申请情况",
    4: "四、政府信息公开行政复议、行政诉讼情况",
}

#: The numeral each table is printed under (表二, 表三, 表四).
TABLE_NUMERALS: dict[int, str] = {2: "二", 3: "三", 4: "四"}


def table_name(table: int) -> str:
    """How the form names a table: 表二, 表三, 表四."""
    return f"表{TABLE_NUMERALS[table]}"


#: The six report sections: numeral, printed heading, words that identify the heading.
SECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("一", "一、总体情况", ("总体情况",)),
    ("二", "二、主动公开政府信息情况", ("主动公开政府信息", "主动公开情况")),
    ("三", "三、收到和处理政府信息公开申请情况", ("收到和处理", "政府信息公开申请情况")),
    ("四", "四、政府信息公开行政复议、行政诉讼情况", ("行政复议", "行政诉讼")),
    ("五", "五、存在的主要问题及改进情况", ("存在的主要问题", "主要问题及改进", "问题及改进")),
    ("六", "六、其他需要报告的事项", ("其他需要报告", "其他事项")),
)

#: The six section numerals, in printed order.
SECTION_NUMERALS: tuple[str, ...] = tuple(numeral for numeral, _, _ in SECTIONS)
#: Sections that hold a table, by numeral → table number.
TABLE_OF_SECTION: dict[str, int] = {numeral: table for table, numeral in TABLE_NUMERALS.items()}

#: The first report year each template version is meant for (FORMAT.md), newest first.
VERSION_SINCE: tuple[tuple[int, Version], ...] = ((2021, "2021"), (2019, "2019"))


def version_for_year(year: int | None) -> Version | None:
    """The template a report on `year` should print; None before the 2019 template (or no year)."""
    if year is None:
        return None
    return next((version for since, version in VERSION_SINCE if year >= since), None)


def assumed_version(year: int | None) -> Version:
    """The template to read a report by when its header words name none.

    The one meant for its year; the oldest for a year before it; the newest without a year.
    """
    if year is None:
        return VERSIONS[0]
    return version_for_year(year) or VERSIONS[-1]


#: Header words that identify the template version (FORMAT.md: by header words, never by year).
VERSION_MARKERS: dict[Version, tuple[str, ...]] = {
    "2021": ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "制发件数", "废止件数"),
    "2019": (
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "第二十条第（九）项",
        "上一年项目数量",
        "其他对外管理服务事项",
        "政府集中采购",
        "新制作数量",
        "新公开数量",
        "采购项目数量",
    ),
}

#: Header words of each table, used to tell which table a printed row belongs to.
TABLE_MARKERS: dict[int, tuple[str, ...]] = {
    2: ("信息内容", "第二十条"),
    3: ("申请人情况", "自然人", "法人或其他组织", "商业企业", "勾稽关系"),
    4: ("行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉"),
}

#: Words that mark a 小计 (subtotal of the five organisation columns) in table 3's header.
T3_SUBTOTAL_MARKERS = ("小计",)
#: Words that say an amount is printed in 元 rather than 万元.
UNIT_YUAN = "元"
UNIT_WAN_YUAN = "万元"


@dataclass(frozen=True)
class ColumnSpec:
    id: str
    label: str
    kind: ValueKind = "count"


@dataclass(frozen=True)
class RowSpec:
    """One printed row: its id, label, value columns, and the label variants seen in reports."""

    table: int
    id: str
    label: str
    columns: tuple[ColumnSpec, ...]
    aliases: tuple[str, ...] = ()
    group: str = ""
    #: matched only when no item-level row matches (a group label printed as one row)
    weak: bool = False
    #: printed only by some agencies; its absence is not a defect
    optional: bool = False
    normalised_aliases: tuple[str, ...] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        words = (self.label, *self.aliases)
        object.__setattr__(
            self, "normalised_aliases", tuple(dict.fromkeys(normalise_label(w) for w in words))
        )


@dataclass(frozen=True)
class CellSpec:
    id: str
    table: int
    row: str
    column: str
    row_label: str
    column_label: str
    kind: ValueKind


# ---- table 2 ---------------------------------------------------------------------------------

_ISSUED = (
    ColumnSpec("issued", "本年制发件数"),
    ColumnSpec("repealed", "本年废止件数"),
    ColumnSpec("in_force", "现行有效件数"),
)
_MADE = (
    ColumnSpec("made", "本年新制作数量"),
    ColumnSpec("published", "本年新公开数量"),
    ColumnSpec("total_public", "对外公开总数量"),
)
_ITEMS = (
    ColumnSpec("prev_items", "上一年项目数量"),
    ColumnSpec("change", "本年增/减", "change"),
    ColumnSpec("decisions", "处理决定数量"),
)
_DECISIONS = (ColumnSpec("decisions", "本年处理决定数量"),)

T2_ROWS: dict[Version, tuple[RowSpec, ...]] = {
    "2021": (
        RowSpec(2, "rules", "规章", _ISSUED),
        RowSpec(2, "normative", "行政规范性文件", _ISSUED, ("规范性文件",)),
        RowSpec(2, "licensing", "行政许可", _DECISIONS),
        RowSpec(2, "penalty", "行政处罚", _DECISIONS),
        RowSpec(2, "coercion", "行政强制", _DECISIONS),
        RowSpec(
            2,
            "fees",
            "行政事业性收费",
            (ColumnSpec("amount", "本年收费金额（单位：万元）", "amount"),),
            ("事业性收费",),
        ),
    ),
    "2019": (
        RowSpec(2, "rules", "规章", _MADE),
        RowSpec(2, "normative", "规范性文件", _MADE, ("行政规范性文件",)),
        RowSpec(2, "licensing", "行政许可", _ITEMS),
        RowSpec(2, "other_services", "其他对外管理服务事项", _ITEMS, ("对外管理服务事项",)),
        RowSpec(2, "penalty", "行政处罚", _ITEMS),
        RowSpec(2, "coercion", "行政强制", _ITEMS),
        RowSpec(2, "fees", "行政事业性收费", _ITEMS[:2], ("事业性收费",)),
        RowSpec(
            2,
            "procurement",
            "政府集中采购",
            (
                ColumnSpec("projects", "采购项目数量"),
                ColumnSpec("amount", "采购总金额", "amount"),
            ),
            ("集中采购",),
        ),
    ),
}

# ---- table 3 ---------------------------------------------------------------------------------

T3_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("natural", "自然人"),
    ColumnSpec("commercial", "商业企业"),
    ColumnSpec("research", "科研机构"),
    ColumnSpec("social", "社会公益组织"),
    ColumnSpec("legal", "法律服务机构"),
    ColumnSpec("other", "其他"),
    ColumnSpec("total", "总计"),
)
#: The optional eighth column: the printed 小计 of the five 法人或其他组织 columns.
T3_ENTITIES = ColumnSpec("entities", "小计")
T3_ORGANISATION_COLUMNS = ("commercial", "research", "social", "legal", "other")
T3_GROUP_LABEL = "法人或其他组织"

_G_RESULT = "三、本年度办理结果"
_G_DENIED = "（三）不予公开"
_G_UNABLE = "（四）无法提供"
_G_REJECTED = "（五）不予处理"
#: The numbering of table 3's （六） group, which version 2019 prints as one row (`other_all`).
T3_OTHER_GROUP_NUMBER = "（六）"
_G_OTHER = f"{T3_OTHER_GROUP_NUMBER}其他处理"


def _t3(row: str, label: str, *aliases: str, group: str = "", weak: bool = False) -> RowSpec:
    return RowSpec(3, row, label, T3_COLUMNS, aliases, group, weak)


_T3_HEAD = (
    _t3("new", "一、本年新收政府信息公开申请数量", "本年新收", "新收政府信息公开申请"),
    _t3("carried_in", "二、上年结转政府信息公开申请数量", "上年结转", "上年度结转"),
    _t3("granted", "（一）予以公开", "予以公开", group=_G_RESULT),
    _t3(
        "partial",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "部分公开",
        group=_G_RESULT,
    ),
    _t3("denied_secret", "1.属于国家秘密", "国家秘密", group=_G_DENIED),
    _t3(
        "denied_law",
        "2.其他法律行政法规禁止公开",
        "法律行政法规禁止公开",
        "法律行政法规",
        "行政法规禁止",
        "禁止公开",
        "其他法律行政止公开",
        "行政止公开",
        group=_G_DENIED,
    ),
    _t3(
        "denied_safety",
        "3.危及“三安全一稳定”",
        "三安全一稳定",
        "危及三安全",
        "三安全",
        "一稳定",
        group=_G_DENIED,
    ),
    _t3("denied_third_party", "4.保护第三方合法权益", "第三方合法权益", "第三方", group=_G_DENIED),
    _t3("denied_internal", "5.属于三类内部事务信息", "内部事务", group=_G_DENIED),
    _t3("denied_process", "6.属于四类过程性信息", "过程性信息", "过程性", group=_G_DENIED),
    _t3("denied_enforcement", "7.属于行政执法案卷", "行政执法案卷", "执法案卷", group=_G_DENIED),
    _t3("denied_query", "8.属于行政查询事项", "行政查询", "查询事项", group=_G_DENIED),
    _t3("unable_not_held", "1.本机关不掌握相关政府信息", "不掌握", group=_G_UNABLE),
    _t3(
        "unable_create",
        "2.没有现成信息需要另行制作",
        "没有现成信息",
        "另行制作",
        "现成信息",
        group=_G_UNABLE,
    ),
    _t3(
        "unable_unclear",
        "3.补正后申请内容仍不明确",
        "仍不明确",
        "补正后申请内容",
        "内容不明确",
        group=_G_UNABLE,
    ),
    _t3("rejected_petition", "1.信访举报投诉类申请", "信访举报投诉", "信访", group=_G_REJECTED),
    _t3("rejected_duplicate", "2.重复申请", "重复申请", group=_G_REJECTED),
    _t3("rejected_publication", "3.要求提供公开出版物", "公开出版物", "出版物", group=_G_REJECTED),
    _t3(
        "rejected_excessive",
        "4.无正当理由大量反复申请",
        "大量反复申请",
        "大量反复",
        group=_G_REJECTED,
    ),
    _t3(
        "rejected_confirm",
        "5.要求行政机关确认或重新出具已获取信息",
        "确认或重新出具",
        "重新出具",
        "已获取信息",
        group=_G_REJECTED,
    ),
)
_T3_OTHER_ITEMS = (
    _t3(
        "other_no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "逾期不补正",
        "不补正",
        group=_G_OTHER,
    ),
    _t3(
        "other_no_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "收费通知",
        "缴纳费用",
        group=_G_OTHER,
    ),
    _t3("other_other", "3.其他", "其他", group=_G_OTHER),
)
_T3_OTHER_ALL = _t3("other_all", _G_OTHER, "其他处理", weak=True)
_T3_TAIL = (
    _t3("processed_total", "（七）总计", "总计", "合计", group=_G_RESULT),
    _t3(
        "carried_out",
        "四、结转下年度继续办理",
        "结转下年度",
        "结转下一年度",
        "结转下年",
        "结转下一年",
        "下年度继续办理",
        "继续办理",
    ),
)

#: Table 3 rows as each version prints them. Version 2021 lists （六） as three items; the
#: single row `other_all` is also accepted there (see T3_ROWS_ACCEPTED).
T3_ROWS: dict[Version, tuple[RowSpec, ...]] = {
    "2021": (*_T3_HEAD, *_T3_OTHER_ITEMS, *_T3_TAIL),
    "2019": (*_T3_HEAD, _T3_OTHER_ALL, *_T3_TAIL),
}
#: Every table 3 row a parser may meet on either version, in printed order.
T3_ROWS_ACCEPTED: tuple[RowSpec, ...] = (*_T3_HEAD, *_T3_OTHER_ITEMS, _T3_OTHER_ALL, *_T3_TAIL)
T3_OTHER_ITEM_ROWS = tuple(r.id for r in _T3_OTHER_ITEMS)
T3_OTHER_ALL_ROW = _T3_OTHER_ALL.id
T3_DENIED_ROWS = tuple(r.id for r in _T3_HEAD if r.id.startswith("denied_"))
T3_UNABLE_ROWS = tuple(r.id for r in _T3_HEAD if r.id.startswith("unable_"))
T3_REJECTED_ROWS = tuple(r.id for r in _T3_HEAD if r.id.startswith("rejected_"))

# ---- table 4 ---------------------------------------------------------------------------------

T4_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("upheld", "结果维持"),
    ColumnSpec("corrected", "结果纠正"),
    ColumnSpec("other", "其他结果"),
    ColumnSpec("pending", "尚未审结"),
    ColumnSpec("total", "总计"),
)
T4_ROWS: tuple[RowSpec, ...] = (
    RowSpec(4, "review", "行政复议", T4_COLUMNS),
    RowSpec(4, "suit_direct", "行政诉讼·未经复议直接起诉", T4_COLUMNS, ("未经复议直接起诉",)),
    RowSpec(4, "suit_after_review", "行政诉讼·复议后起诉", T4_COLUMNS, ("复议后起诉",)),
)

#: table 四's two group headers (行政复议 over one proceeding, 行政诉讼 over two)
T4_GROUPS: tuple[str, ...] = tuple(dict.fromkeys(r.label.partition("·")[0] for r in T4_ROWS))

# ---- derived views ---------------------------------------------------------------------------


def cell_id(table: int, row: str, column: str) -> str:
    return f"t{table}.{row}.{column}"


def row_of(cell: str) -> str:
    """A cell id's table and row ("t3.new" of "t3.new.natural"): what the cells of one printed
    row share."""
    return cell.rpartition(".")[0]


def column_of(cell: str) -> str:
    """A cell id's column ("natural" of "t3.new.natural")."""
    return cell.rpartition(".")[2]


def rows(version: Version, table: int) -> tuple[RowSpec, ...]:
    """The rows a version's table prints, in order."""
    if table == 2:
        return T2_ROWS[version]
    if table == 3:
        return T3_ROWS[version]
    if table == 4:
        return T4_ROWS
    raise ValueError(f"no table {table}")


def t3_columns(with_entities: bool = False) -> tuple[ColumnSpec, ...]:
    if not with_entities:
        return T3_COLUMNS
    return (*T3_COLUMNS[:-1], T3_ENTITIES, T3_COLUMNS[-1])


def _cells_of(row: RowSpec, columns: tuple[ColumnSpec, ...] | None = None) -> list[CellSpec]:
    return [
        CellSpec(
            cell_id(row.table, row.id, c.id), row.table, row.id, c.id, row.label, c.label, c.kind
        )
        for c in (columns or row.columns)
    ]


@cache
def cells(version: Version, table: int | None = None) -> tuple[CellSpec, ...]:
    """Every cell the version's template prints (without the optional 小计 column)."""
    tables = (2, 3, 4) if table is None else (table,)
    return tuple(c for t in tables for r in rows(version, t) for c in _cells_of(r))


@cache
def all_cells() -> dict[str, CellSpec]:
    """Every cell id either version or variant can carry, with its labels."""
    out: dict[str, CellSpec] = {}
    for version in VERSIONS:
        for table in (2, 4):
            for r in rows(version, table):
                out.update((c.id, c) for c in _cells_of(r))
    for r in T3_ROWS_ACCEPTED:
        out.update((c.id, c) for c in _cells_of(r, t3_columns(with_entities=True)))
    return out


def cell_spec(cell: str) -> CellSpec:
    return all_cells()[cell]


def expected_cells(
    version: Version, *, other_single_row: bool = False, with_entities: bool = False
) -> tuple[str, ...]:
    """The cell ids a complete report of this version and layout carries, in printed order."""
    out: list[str] = []
    for table in (2, 3, 4):
        for r in rows(version, table):
            if table == 3:
                if version == "2021" and other_single_row and r.id in T3_OTHER_ITEM_ROWS:
                    if r.id == T3_OTHER_ITEM_ROWS[0]:
                        out.extend(c.id for c in _cells_of(_T3_OTHER_ALL, t3_columns(with_entities)))
                    continue
                out.extend(c.id for c in _cells_of(r, t3_columns(with_entities)))
            else:
                out.extend(c.id for c in _cells_of(r))
    return tuple(out)


def describe_cell(cell: str) -> str:
    """A cell in the words of the printed form, e.g. 表三「一、本年新收…」行「自然人」列."""
    spec = cell_spec(cell)
    return f"{table_name(spec.table)}「{spec.row_label}」行「{spec.column_label}」列"
