"""Web pages: the report inside a site page, layout tables, rowspan/colspan, &nbsp; cells, GBK."""

from __future__ import annotations

import html

from connectors.html_reader import read_html
from connectors.report_builder import build_report
from connectors.text_reader import read_text
from form.record import Source
from tests.conftest import SEED_TRUTH, load_truth

SOURCE = Source(path="page.html", sha256="0" * 64, media_type="text/html")


def _cell(text: str) -> str:
    if text == "":
        return "<td>&nbsp;</td>"
    inner = "<br/>".join(f"<span>{html.escape(part)}</span>" for part in text.split("\n"))
    return f"<td><p style='text-align:center'>{inner}</p></td>"


def _site_page(doc, charset: str = "utf-8") -> str:
    """The seed's report as a site would serve it: navigation, a layout table, the article."""
    body = []
    for block in doc.blocks:
        if isinstance(block, str):
            body.append(f"<p>{html.escape(block)}</p>")
        else:
            rows = "".join("<tr>" + "".join(_cell(c) for c in r) + "</tr>" for r in block.rows)
            body.append(f"<table border='1'><tbody>{rows}</tbody></table>")
    return (
        f"<!DOCTYPE html><html><head><meta charset='{charset}'><title>年报_某某网站</title>"
        "<script>var x = '<table>';</script></head><body>"
        "<div class='nav'><a href='/'>首页</a> &gt; 政府信息公开年报</div>"
        "<table class='layout'><tr><td class='side'>栏目</td><td class='main'>"
        + "".join(body)
        + "</td></tr></table><div class='footer'>主办单位：某某</div></body></html>"
    )


def test_report_inside_a_site_page_with_layout_tables(seed_bytes) -> None:
    page = _site_page(read_text(seed_bytes))
    report = build_report(read_html(page.encode("utf-8")), SOURCE)
    assert report.cells == load_truth(SEED_TRUTH)["cells"]
    assert report.agency == "海宁市人民政府办公室"
    assert report.published is not None


def test_gbk_page_is_decoded_by_its_meta_charset(seed_bytes) -> None:
    page = _site_page(read_text(seed_bytes), charset="gbk")
    report = build_report(read_html(page.encode("gbk")), SOURCE)
    assert report.cells == load_truth(SEED_TRUTH)["cells"]
