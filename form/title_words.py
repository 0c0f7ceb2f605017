"""How a report names itself: the words of its title, its signature and its dates.

A title reads 「<agency><year>年度政府信息公开工作年度报告」, in many variants; the signature under
the last section repeats the agency and the date of publication (in digits or in Chinese
numerals). The readers find agency, year and date with these words and patterns.
"""

from __future__ import annotations

import re

from form.printing import CN_DIGITS

#: a line that is the report's title names the disclosure and the report
TITLE_WORDS = ("政府信息公开", "信息公开")
REPORT_WORDS = ("年度报告", "工作报告", "年报", "报告")
#: a year as a report prints it, and a year followed by its 年 (the title's and the dates')
YEAR = r"((?:19|20)\d{2})"
YEAR_MARK = rf"{YEAR}年"
#: "<agency> <year>年度 <more agency> 政府信息公开…": the agency sits before or after the year
TITLE = re.compile(rf"^(?P<pre>.*?){YEAR}年度?(?P<mid>.*?)(?:政府)?信息公开")
#: a line holding only an agency's name and a year (and maybe 政府): the first line of a title
#: broken over two lines
AGENCY_AND_YEAR = re.compile(rf"^\D*{YEAR}年度?\D*$")
#: words around an agency's name in a title (关于公布…的…), not part of the name
NAME_PREFIX = re.compile(r"^(关于|公布|发布)")
NAME_SUFFIXES = ("关于", "的", "发布", "公布")
NAME_PUNCTUATION = "：:，,。 《》“”\"'"
#: a web page's <title> appends the site's name after one of these
SITE_SEPARATORS = re.compile(r"[_|｜]| - |—")

#: dates: 2022年1月24日, 2022-01-24, 二〇二二年一月二十四日
CN_DATE = re.compile(rf"{YEAR}年(\d{{1,2}})月(\d{{1,2}})日")
CN_NUMERAL_DATE = re.compile(
    r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日"
)
#: the value of each Chinese digit a date may print (〇 also written ○ or 零)
CN_DIGIT_VALUES = {c: i for i, c in enumerate(CN_DIGITS)} | {"○": 0, "零": 0}
#: the statistics period a report states (统计期限自2021年1月1日…): the report's year
STATISTICS_PERIOD = re.compile(rf"统计期限?[自从为]?{YEAR}年1月1日")
#: a line stating a period, not a date of publication
PERIOD_WORDS = re.compile(r"统计|期限|至")
#: a web page's 发布日期/成文时间 near the top
PUBLISHED_AT = re.compile(r"(发布|成文|公开)(日期|时间)[:：]?(.{6,20})")

#: a section heading: its numeral, then one of these
HEADING_AFTER_NUMERAL = r"[、，,.．\s]"
#: lines broken at the page margin: a paragraph ends with one of these, or a new one starts so
#: Marks a sentence carries and a title never does (「…2021年度未收取信息处理费。」 names the
#: disclosure and 报告 too, yet is no title)
SENTENCE_MARKS = ("。", "；", "！", "？")
PARAGRAPH_END = ("。", "！", "？", "；", "：", ":", "…", "”")
PARAGRAPH_START = re.compile(r"^(（[一二三四五六七八九十\d]+）|[一二三四五六七八九十]+[、是]|\d+[.、．])")
IDEOGRAPHIC_SPACE = "\u3000"
