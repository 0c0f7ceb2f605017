"""The finding messages: every placeholder is one the findings fill, and values show as a reader writes them."""

from __future__ import annotations

import string
from datetime import date

from form import messages as msg

#: What `expectations.findings` fills (see the module docstring of form.messages).
FILLED = {
    "cell", "row", "column", "printed", "expected", "parts", "cells_text", "cells_values",
    "t3", "t3col", "t4", "t4col", "agency", "year", "prev_year", "previous", "candidates", "reason",
    "numeral", "title", "heading", "items", "deadline_kind", "how",
    # what `expectations.ocr_findings` fills for a scan's cells: the text read, its confidence, the value used
    "text", "conf", "value",
}  # fmt: skip


def templates() -> dict[str, str]:
    out = {name: value for name, value in vars(msg).items() if name.isupper() and isinstance(value, str)}
    for group in ("NO_PREVIOUS_REASONS", "DEADLINE_KINDS"):
        out.update({f"{group}.{k}": v for k, v in getattr(msg, group).items()})
    return out


def test_every_placeholder_is_one_the_findings_fill() -> None:
    for name, text in templates().items():
        fields = {f.split("[")[0] for _, f, _, _ in string.Formatter().parse(text) if f}
        assert fields <= FILLED, (name, fields - FILLED)


def test_every_message_is_chinese_text() -> None:
    assert all(not text.isascii() for text in templates().values())


def test_a_date_shows_as_a_chinese_reader_writes_it() -> None:
    assert msg.date_shown(date(2024, 3, 1)) == "2024年3月1日"


def test_a_number_too_long_to_read_is_cut_short() -> None:
    assert msg.number_shown(1234) == "1234"
    assert msg.number_shown(-(10**30)) == "-100000000000000000000000…（共31位）"
    assert msg.number_shown(10**5000).endswith("位）") and len(msg.number_shown(10**5000)) < 40
