"""Reading a number cell as the agency printed it.

A blank cell or a dash-like mark is ``None`` (left blank). Anything else that is not plainly a
number is read where the reading is unambiguous (全角 digits, 12件, 1,234, 75394432.52元) and
otherwise returned as a problem that keeps the raw text: it never silently becomes 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from form.catalogue import UNIT_WAN_YUAN, UNIT_YUAN, ValueKind
from form.labels import fold_width

Number = int | float

_BLANK_MARKS = frozenset({"", "-", "--", "---", "/", "\\", "无", "空", "—", "——", "–", "―", "－", "─", "一", "_", "×"})
_COUNT_UNITS = ("件次", "件", "个", "条", "项", "次", "人次", "宗", "份", "起", "篇")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d+)?|\.\d+)$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_SIGN_WORDS = (("增加", ""), ("增", ""), ("减少", "-"), ("减", "-"))


#: The largest magnitude of a count or a change: the warehouse stores them as BIGINT.
MAX_WHOLE = 2**63 - 1
#: The warehouse stores 万元 amounts as NUMERIC(precision, scale).
AMOUNT_PRECISION = (20, 6)
#: The largest amount that fits: 14 digits before the point.
MAX_AMOUNT = 10 ** (AMOUNT_PRECISION[0] - AMOUNT_PRECISION[1]) - 1


def fits(value: Number, kind: ValueKind) -> bool:
    """Whether a value of the kind is small enough for its fact column (a value no report can hold
    is a `values.domain` finding, never a failed load)."""
    return abs(value) <= (MAX_AMOUNT if kind == "amount" else MAX_WHOLE)


@dataclass(frozen=True)
class CellReading:
    value: Number | None
    problem: str | None = None


def _clean(raw: str) -> str:
    text = fold_width(raw)
    text = re.sub(r"[\s\u200b\ufeff]+", "", text)
    # dash-like characters that NFKC leaves alone
    return text.replace("−", "-").replace("–", "-").replace("—", "-").replace("－", "-")


@lru_cache(maxsize=65536)
def is_blank_mark(raw: str) -> bool:
    """True for an empty cell or one holding only a dash-like mark (FORMAT.md: null)."""
    text = re.sub(r"[\s\u3000\u00a0\u200b\ufeff]+", "", raw)
    if text in _BLANK_MARKS:
        return True
    return bool(text) and set(text) <= set("-—－–―─_/")


@lru_cache(maxsize=65536)
def looks_numeric(raw: str) -> bool:
    """True when the text is a value a number cell may hold (a number, blank or dash)."""
    if is_blank_mark(raw):
        return True
    return read_value(raw, "amount").problem is None


@lru_cache(maxsize=65536)
def read_value(raw: str, kind: ValueKind = "count") -> CellReading:
    """The number a cell holds, in the unit the form asks for (amounts in 万元)."""
    if is_blank_mark(raw):
        return CellReading(None)
    text = _clean(raw)
    divisor = 1
    if kind == "amount":
        if text.endswith(UNIT_WAN_YUAN):
            text = text[: -len(UNIT_WAN_YUAN)]
        elif text.endswith(UNIT_YUAN):
            text = text[: -len(UNIT_YUAN)]
            divisor = 10000
    else:
        for unit in _COUNT_UNITS:
            if text.endswith(unit) and len(text) > len(unit):
                text = text[: -len(unit)]
                break
    if kind == "change":
        for word, sign in _SIGN_WORDS:
            if text.startswith(word) and len(text) > len(word):
                text = sign + text[len(word) :]
                break
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    if not _NUMBER.match(text):
        return CellReading(None, "not a number")
    try:
        number = Decimal(text) / divisor
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        return CellReading(None, "not a number")
    if kind == "amount":
        return CellReading(int(number) if number == number.to_integral_value() and "." not in text and divisor == 1 else float(number))
    if number != number.to_integral_value():
        return CellReading(None, "not a whole number")
    return CellReading(int(number))
