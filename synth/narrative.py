"""The narrative sections (一, 五, 六) of a report, stating totals that agree with its tables.

Numbers are taken from what the tables print (so a faulty table and its narrative agree) unless
the report carries a narrative fault, in which case one stated total is the wrong one. The
phrases come from `form.layout.NARRATIVE_TOTALS`, the words a narrative check looks for.
"""

from __future__ import annotations

import random

from form.layout import NARRATIVE_TOTALS
from synth.printed import Number, PrintedReport

_OPENINGS = (
    "本报告根据《中华人民共和国政府信息公开条例》和国务院办公厅政府信息与政务公开办公室有关要求编制。",
    "根据《中华人民共和国政府信息公开条例》规定，现公布本机关政府信息公开工作年度报告。",
)
_ACTIVE = (
    "坚持以公开为常态、不公开为例外，围绕中心工作及时准确公开政府信息，主动公开各类信息{posts}条。",
    "通过政府门户网站、政务新媒体等渠道主动公开政府信息{posts}条，及时回应社会关切。",
)
_MANAGEMENT = (
    "（三）政府信息管理情况。严格落实信息发布审核制度，对拟公开信息进行保密审查，动态更新政府信息公开指南和目录。",
    "（三）政府信息管理情况。健全信息发布协调机制，规范公开属性认定，开展行政规范性文件清理工作。",
)
_PLATFORM = (
    "（四）平台建设情况。持续优化政府网站信息公开专栏，规范栏目设置，提升检索和下载功能。",
    "（四）平台建设情况。加强政务新媒体管理，做好信息发布的校对审核，确保信息准确及时。",
)
_SUPERVISION = (
    "（五）监督保障情况。将政务公开工作纳入年度考核，组织业务培训，全年未发生责任追究情况。",
    "（五）监督保障情况。落实政务公开工作责任，定期开展检查通报，接受社会评议和监督。",
)
_PROBLEMS = (
    "存在的主要问题：一是主动公开的深度和广度有待拓展；二是政策解读形式较为单一；三是工作人员业务能力需进一步提升。",
    "存在的主要问题：部分栏目更新不够及时，依申请公开答复的规范性有待加强，基层政务公开标准化建设仍需深化。",
)
_REMEDIES = (
    "改进措施：加强业务培训，完善信息发布审核机制，丰富政策解读形式，推进政务公开标准化规范化。",
    "改进措施：强化栏目日常维护，规范依申请公开办理流程，加大基层政务公开工作指导力度。",
)
_FEES = (
    "本年度未收取信息处理费。",
    "根据《政府信息公开信息处理费管理办法》，本年度未收取信息处理费。",
)
_NOTHING_ELSE = ("无其他需要报告的事项。", "")


def _value(report: PrintedReport, cells: tuple[str, ...]) -> int:
    total: Number = 0
    for cid in cells:
        v = report.cells.get(cid, report.dropped.get(cid))
        total += v if isinstance(v, int | float) and v > 0 else 0
    return int(total)


def stated_total(report: PrintedReport, cells: tuple[str, ...]) -> int:
    """The number the narrative states for these cells (the wrong one where a fault says so)."""
    if report.narrative_error is not None and report.narrative_error[0] == cells:
        return report.narrative_error[1]
    return _value(report, cells)


def build(report: PrintedReport, rng: random.Random) -> dict[str, list[str]]:
    """Paragraphs of sections 一, 五 and 六."""
    phrases = [(cells, rng.choice(prefixes), unit) for cells, prefixes, unit in NARRATIVE_TOTALS]

    def say(i: int) -> str:
        cells, prefix, unit = phrases[i]
        return f"{prefix}{stated_total(report, cells)}{unit}"

    issued_cell = "t2.normative.issued" if report.version == "2021" else "t2.normative.made"
    issued = _value(report, (issued_cell,))
    posts = issued * 3 + rng.randint(20, 400)
    requests = f"（二）依申请公开情况。本年度{say(0)}，{say(1)}，{say(2)}，{say(3)}。"
    reviews = f"全年发生{say(4)}，{say(5)}。"
    one = [
        rng.choice(_OPENINGS),
        f"（一）主动公开情况。{rng.choice(_ACTIVE).format(posts=posts)}本年度制发行政规范性文件{issued}件。",
        requests + reviews,
        rng.choice(_MANAGEMENT),
        rng.choice(_PLATFORM),
        rng.choice(_SUPERVISION),
    ]
    five = [rng.choice(_PROBLEMS), rng.choice(_REMEDIES)]
    six = [p for p in (rng.choice(_FEES), rng.choice(_NOTHING_ELSE)) if p]
    return {"一": one, "五": five, "六": six}
