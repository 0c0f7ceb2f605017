"""The scan layout: header cells read whole, blank cells read in their columns, and rows whose
values do not fit the template's columns named uncertain (pure: drawn pages, no OCR engine)."""

from __future__ import annotations

import numpy as np

from connectors import sniff
from connectors.ocr_engine import Box
from connectors.ocr_layout import BLANK, UNREAD, Token, as_number, join_broken_row, page_lines
from connectors.ocr_reader import report_from_lines
from form.record import Source
from tests.conftest import SAMPLES

SOURCE = Source(path="scan.png", sha256="0" * 64, media_type=sniff.PNG)
TEXT = SAMPLES / "海宁市人民政府办公室_2021.txt"


def _page(rows: list[float], columns: list[float], width: int = 800, height: int = 400) -> np.ndarray:
    """A white page with a ruled grid: horizontal rules at `rows`, vertical ones at `columns`."""
    gray = np.full((height, width), 255, dtype=np.uint8)
    left, right, top, bottom = int(columns[0]), int(columns[-1]), int(rows[0]), int(rows[-1])
    for y in rows:
        gray[int(y) : int(y) + 2, left:right] = 0
    for x in columns:
        gray[top:bottom, int(x) : int(x) + 2] = 0
    return gray


def _no_crops(crops: list) -> list[tuple[str, float]]:
    assert not crops, "no cell should need reading on its own"
    return []


def _values(row: list[Token]) -> list[str]:
    return [t.text for t in row if t.value]


def test_a_header_printed_a_character_a_line_is_read_as_words() -> None:
    # a header row: 其他 and 小计 each printed one character a line, in their own cells
    gray = _page([100, 190, 230], [50, 300, 400, 500, 750])
    boxes = [
        Box(320, 110, 340, 130, "其", 0.99), Box(420, 110, 440, 130, "小", 0.99),
        Box(320, 140, 340, 160, "他", 0.99), Box(420, 140, 440, 160, "计", 0.99),
        Box(60, 200, 200, 220, "本年新收", 0.99), Box(330, 200, 345, 220, "1", 0.99), Box(430, 200, 445, 220, "2", 0.99), Box(600, 200, 615, 220, "3", 0.99),
    ]
    lines, _ = page_lines(boxes, gray, "三", _no_crops)
    assert [t.text for t in lines[0]] == ["其他", "小计"]
    assert _values(lines[1]) == ["1", "2", "3"]


def test_a_faint_speck_read_as_a_dash_does_not_turn_a_header_into_values() -> None:
    """Found on a 200 dpi scan: a stroke in table 四's header read as 一 at 0.05 made the header a
    line of values, its words right of it unread cells, and two totals fell in the wrong columns."""
    gray = _page([100, 190, 230], [50, 300, 400, 500, 750])
    boxes = [
        Box(320, 110, 380, 130, "其他", 0.99), Box(385, 112, 398, 128, "一", 0.05), Box(420, 110, 480, 130, "小计", 0.99),
        Box(60, 200, 200, 220, "本年新收", 0.99), Box(330, 200, 345, 220, "1", 0.99), Box(430, 200, 445, 220, "2", 0.99), Box(600, 200, 615, 220, "3", 0.99),
    ]
    lines, _ = page_lines(boxes, gray, "三", _no_crops)
    assert [(t.text, t.value) for t in lines[0]] == [("其他", False), ("小计", False)]
    assert _values(lines[1]) == ["1", "2", "3"]


def test_header_cells_a_ruling_line_parts_stay_apart() -> None:
    # two header rows, one word each in the same column: a rule between them, so two cells
    gray = _page([100, 135, 170, 210], [50, 300, 750])
    boxes = [Box(320, 108, 400, 128, "申请人", 0.99), Box(320, 142, 400, 162, "自然人", 0.99), Box(60, 180, 200, 200, "本年新收", 0.99), Box(330, 180, 345, 200, "1", 0.99)]
    lines, _ = page_lines(boxes, gray, "三", _no_crops)
    assert [t.text for t in lines[0]] == ["申请人"] and [t.text for t in lines[1]] == ["自然人"]


def test_an_empty_cell_between_values_is_a_blank_in_its_column() -> None:
    # table 二: 本年制发 1, 本年废止 left empty, 现行有效 14 (a blank left out would shift 14 left)
    gray = _page([100, 150], [50, 300, 450, 600, 750])
    boxes = [Box(60, 115, 200, 135, "行政规范性文件", 0.99), Box(370, 115, 380, 135, "1", 0.99), Box(660, 115, 690, 135, "14", 0.99)]
    lines, _ = page_lines(boxes, gray, "二", _no_crops)
    assert _values(lines[0]) == ["1", BLANK, "14"]


def test_a_row_printed_blank_reads_as_blank_cells() -> None:
    gray = _page([100, 150, 200], [50, 300, 450, 600, 750])
    boxes = [
        Box(60, 40, 400, 60, "二、主动公开政府信息情况", 0.99),
        Box(60, 115, 120, 135, "规章", 0.99),
        Box(60, 165, 200, 185, "行政规范性文件", 0.99),
        Box(370, 165, 380, 185, "1", 0.99),
    ]
    lines, _ = page_lines(boxes, gray, None, _no_crops)
    assert [t.text for t in lines[1] if not t.value] == ["规章"] and _values(lines[1]) == [BLANK] * 3


def test_a_piece_of_a_row_broken_across_pages_is_no_blank_row() -> None:
    # the top of a page continuing table 二: the end of the last row's label, its cells empty
    gray = _page([100, 150, 200], [50, 300, 450, 600, 750])
    boxes = [Box(60, 115, 120, 135, "文件", 0.99), Box(60, 165, 200, 185, "行政规范性文件", 0.99), Box(370, 165, 380, 185, "1", 0.99)]
    lines, _ = page_lines(boxes, gray, "二", _no_crops)
    assert [(t.text, t.value, t.continues) for t in lines[0]] == [("文件", False, True)]  # the end of a label, no row
    assert [t.text for t in lines[1] if not t.value] == ["行政规范性文件"]


def test_the_end_of_a_label_broken_across_pages_joins_its_row() -> None:
    """Found on 200 dpi scans: 「2.其他法律」 ended one page with its values and 「行政法规禁止公开」
    began the next; read apart, no row was found for the values (7 cells uncertain). A number
    read in a label (a stray "5") does not move where the values begin."""
    from connectors.ocr_reader import _joined_to_last_row

    gray = _page([100, 150, 200, 250, 300], [50, 300, 450, 600, 750])
    boxes = [
        Box(60, 115, 200, 135, "行政法规禁止公开", 0.99), Box(230, 165, 245, 185, "5", 0.99),
        Box(60, 165, 200, 185, "属于三类", 0.99), Box(370, 165, 380, 185, "1", 0.99), Box(520, 165, 530, 185, "2", 0.99),
        Box(60, 215, 200, 235, "属于四类", 0.99), Box(370, 215, 380, 235, "3", 0.99), Box(520, 215, 530, 235, "4", 0.99),
        Box(60, 265, 200, 285, "属于行政", 0.99), Box(370, 265, 380, 285, "6", 0.99), Box(520, 265, 530, 285, "7", 0.99),
    ]
    page, _ = page_lines(boxes, gray, "三", _no_crops)
    before = [[Token("2.其他法律", 0.99, False, 60, 200), Token("0", 0.99, True, 375)]]
    after = _joined_to_last_row(before, page)
    assert [t.text for t in before[0]] == ["2.其他法律", "行政法规禁止公开", "0"]
    # a group label's last character and the item label's end each join their own column
    group = [Token("（六）其", 0.99, False, 40, 100), Token("1.申请人", 0.99, False, 130, 210), Token("他处", 0.99, False, 40, 80),
             Token("由逾期不", 0.99, False, 130, 210), Token("0", 0.99, True, 375)]
    end = [Token("理", 0.99, False, 42, 60, continues=True), Token("补正、行政", 0.99, False, 130, 230, continues=True)]
    assert "".join(t.text for t in join_broken_row(group, end) if not t.value) == "（六）其他处理1.申请人由逾期不补正、行政"
    assert [t.text for t in after[0] if not t.value][-1] == "属于三类" and len(after) == len(page) - 1


def test_a_header_row_gets_no_blanks() -> None:
    gray = _page([100, 150, 200], [50, 300, 450, 600, 750])
    boxes = [
        Box(60, 115, 150, 135, "信息内容", 0.99), Box(320, 115, 430, 135, "本年制发件数", 0.99),
        Box(470, 115, 580, 135, "本年废止件数", 0.99), Box(620, 115, 730, 135, "现行有效件数", 0.99),
        Box(60, 165, 200, 185, "行政规范性文件", 0.99), Box(370, 165, 380, 185, "1", 0.99),
    ]
    lines, _ = page_lines(boxes, gray, "二", _no_crops)
    assert not _values(lines[0])


def _text_lines() -> tuple[list[list[Token]], int]:
    """The text report's lines as OCR gives them (a row of table 三 on one line: its label, then
    its values), and where that row stands."""
    lines = []
    for line in TEXT.read_text(encoding="utf-8").splitlines():
        row = [Token(w, 1.0, as_number(w) is not None) for w in line.split()]
        if row:
            lines.append(row)
    at = next(i for i, row in enumerate(lines) if row[0].text.startswith("一、本年新收"))
    lines[at : at + 8] = [lines[at] + [row[0] for row in lines[at + 1 : at + 8]]]
    assert len(_values(lines[at])) == 7
    return lines, at


def test_a_row_with_a_value_left_over_is_uncertain_however_the_arithmetic_holds() -> None:
    lines, at = _text_lines()
    clean, _ = report_from_lines(lines, SOURCE)
    assert not clean.needs_review
    # a column the layout saw that the template lacks: the builder takes the row's last seven,
    # every identity holds, and only the value left over tells the row may be misplaced
    lines[at].insert(1, Token("5", 1.0, True))
    report, _ = report_from_lines(lines, SOURCE)
    uncertain = {n.cell for n in report.ocr if n.uncertain}
    assert {c for c in report.cells if c.startswith("t3.new.")} <= uncertain
    assert not any(c.startswith("t3.carried_in.") for c in uncertain)
    assert report.needs_review


def test_a_number_kept_as_a_word_that_became_a_cell_is_uncertain() -> None:
    """Found at 300 dpi: a stroke read as 1 below the noise floor stayed a word in a table 二 row
    printed blank; the builder read it as the cell's value, with no OCR read behind it: silently
    wrong. A cell whose value no value token gave is uncertain."""
    lines, _ = _text_lines()
    at = next(i for i, row in enumerate(lines) if row[0].text == "行政许可")
    lines[at : at + 2] = [[lines[at][0], Token("1", 0.2, False)]]  # its value: a stroke kept as a word
    report, _ = report_from_lines(lines, SOURCE)
    assert report.cells["t2.licensing.decisions"] == 1
    assert "t2.licensing.decisions" in {n.cell for n in report.ocr if n.uncertain and n.layout}


def test_a_row_short_of_a_cell_is_uncertain_whole() -> None:
    lines, at = _text_lines()
    values = [k for k, t in enumerate(lines[at]) if t.value]
    del lines[at][values[2]]  # one value OCR missed: the ones after it stand a column left
    report, _ = report_from_lines(lines, SOURCE)
    uncertain = {n.cell for n in report.ocr if n.uncertain}
    assert {c for c in report.cells if c.startswith("t3.new.")} <= uncertain


def test_a_blank_row_alone_under_its_header_reads_as_blank() -> None:
    # table 二's last sub-table at the top of a page: its header, then its one row, left blank
    gray = _page([100, 150, 200], [50, 300, 750])
    boxes = [Box(60, 115, 150, 135, "信息内容", 0.99), Box(320, 115, 600, 135, "本年收费金额", 0.99), Box(60, 165, 200, 185, "行政事业性收费", 0.99)]
    lines, _ = page_lines(boxes, gray, "二", _no_crops)
    assert [t.text for t in lines[1] if not t.value] == ["行政事业性收费"] and _values(lines[1]) == [BLANK]


def test_a_dash_read_with_next_to_no_confidence_is_not_known_blank() -> None:
    # a thin 1 the recogniser took, doubtfully, for a dash: unreadable (the repair decides), not blank
    gray = _page([100, 150], [50, 300, 450, 600, 750])
    boxes = [
        Box(60, 115, 200, 135, "行政规范性文件", 0.99),
        Box(370, 115, 380, 135, "1", 0.99),
        Box(520, 115, 530, 135, "—", 0.12),
        Box(660, 115, 690, 135, "—", 0.98),
    ]
    lines, _ = page_lines(boxes, gray, "二", _no_crops)
    assert _values(lines[0]) == ["1", UNREAD, BLANK]


def test_a_patch_of_ink_over_half_a_cell_is_blotted_and_printed_strokes_are_not() -> None:
    """A patch of ink over part of a cell read as a fat dash (0.33 confidence), so the cell passed
    for blank and the identities "repaired" its neighbour into a wrong value: the patch makes the
    cell unreadable; digits, dashes and ruling lines, however dark, do not."""
    import numpy as np
    from PIL import Image, ImageDraw

    from connectors.ocr_layout import _blotted

    def cell(draw_on) -> np.ndarray:
        image = Image.new("L", (69, 93), 255)
        draw_on(ImageDraw.Draw(image))
        return np.asarray(image)

    half_covered = cell(lambda d: d.rectangle((12, 0, 58, 40), fill=30))  # under a third dark
    assert _blotted(half_covered)
    eight = cell(lambda d: (d.ellipse((22, 20, 46, 44), outline=0, width=4), d.ellipse((20, 44, 48, 74), outline=0, width=4)))
    dash = cell(lambda d: d.line((18, 46, 50, 46), fill=0, width=5))
    ruled = cell(lambda d: (d.line((0, 0, 68, 0), fill=0, width=3), d.line((0, 0, 0, 92), fill=0, width=3)))
    assert not any(_blotted(c) for c in (eight, dash, ruled))
