"""How real reports print what the template leaves to the agency: dates, digits, marks, variants.

The catalogue owns the labels and `form.layout` the template's other words; this module owns the
conventions around them that reports are seen to follow: dates in Arabic or Chinese numerals,
full-width digits, dashes for zero, label punctuation, the official body font, indentation, and
the text some agencies write in a number cell. The generator prints with them; readers must
read whatever they produce.
"""

from __future__ import annotations

#: A date as the signature prints it: 2022年1月24日 (the parts are filled with numbers or numerals).
DATE_FORMAT = "{year}年{month}月{day}日"
#: Chinese numerals for 0–9 as dates print them (二〇二二年), and the word for ten (二十四日).
CN_DIGITS = "〇一二三四五六七八九"
CN_TEN = "十"

#: The characters an ASCII number is printed with in full width (１２，－３．５): the NFKC pairs.
FULLWIDTH_DIGITS = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in "0123456789.-"})

#: Marks printed for a zero (or a total left blank), in the order the generator draws them.
DASH_MARKS = ("—", "-", "/", "－")

#: How a label's punctuation and wording vary from the template's: (printed, varied, how many
#: occurrences; -1 for all), applied in order: 一、 → 一，, 下年度 → 下一年度, 1. → １．
LABEL_VARIANTS: tuple[tuple[str, str, int], ...] = (
    ("、", "，", 1),
    ("下年度", "下一年度", -1),
    ("1.", "１．", -1),
    ("2.", "２．", -1),
)

#: Two ideographic spaces before a paragraph or a narrative section's heading.
INDENT = "\u3000\u3000"
#: The body font of official documents (GB/T 9704), as Word files name it.
BODY_FONT = "仿宋_GB2312"

#: Punctuation a line ends on when its sentence or lead-in ends there, so the next line does not
#: continue it even if it reaches the right margin.
LINE_END_MARKS = ("。", "：", ":", "；")

#: Text agencies print in a number cell instead of a number ({n}: a number near the true one).
TEXT_IN_NUMBER_CELLS = ("不详", "见附件", "未统计", "若干", "约{n}", "{n}余", "{n}多")
