"""PNG charts of a region's year, labelled in Chinese: trends, refusal grounds, review and
litigation outcomes, submission status and pass rate by city (or county, inside a city).

matplotlib with the Agg backend (no display); the CJK font is looked up at run time
(`cjk_font`): the first installed font whose name says CJK or SC (Noto Sans CJK from
fonts-noto-cjk first). Without one the charts are skipped with a note, never drawn with boxes
for characters.
"""

from __future__ import annotations

import io
from pathlib import Path

from form import catalogue as cat
from form import output_words as words
from outputs.data import OfficeData

_PREFERRED = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Noto Serif CJK SC", "WenQuanYi Zen Hei")


def cjk_font() -> Path | None:
    """A font file that draws Chinese, or None (module doc)."""
    from matplotlib import font_manager

    fonts = {f.name: Path(f.fname) for f in font_manager.fontManager.ttflist}
    for name in _PREFERRED:
        if name in fonts:
            return fonts[name]
    for name, path in sorted(fonts.items()):
        if "CJK" in name or name.endswith(" SC"):
            return path
    return None


def _figure(font: Path):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    font_manager.fontManager.addfont(str(font))
    family = font_manager.FontProperties(fname=str(font)).get_name()
    plt.rcParams.update({"font.family": family, "axes.unicode_minus": False, "figure.dpi": 110})
    fig, ax = plt.subplots(figsize=(9, 5.2))
    return plt, fig, ax


def _png(plt, fig) -> bytes:
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    plt.close(fig)
    return out.getvalue()


def trends(data: OfficeData, font: Path) -> bytes:
    plt, fig, ax = _figure(font)
    years = sorted(data.history)
    for cid, label in words.TREND_SERIES.items():
        values = [data.history[y].totals(*data.scope).get(cid, 0) for y in years]
        ax.plot(years, values, marker="o", label=label)
    ax.set_xticks(years)
    ax.set_xlabel(words.YEAR_AXIS)
    ax.set_ylabel(words.COUNT_AXIS)
    ax.set_title(words.CHART_TRENDS.format(name=data.name, first=years[0], last=years[-1]))
    ax.legend()
    ax.grid(alpha=0.3)
    return _png(plt, fig)


def refusals(data: OfficeData, font: Path) -> bytes:
    plt, fig, ax = _figure(font)
    cells = data.cells()
    rows = [r for r in cat.T3_ROWS["2021"] if r.id in cat.T3_DENIED_ROWS]
    labels = [r.label for r in rows]
    values = [cells.get(f"t3.{r.id}.total", 0) for r in rows]
    bars = ax.barh(labels[::-1], values[::-1], color="#b5523b")
    ax.bar_label(bars, padding=3)
    ax.set_xlabel(words.COUNT_AXIS)
    ax.set_title(words.CHART_REFUSALS.format(name=data.name, year=data.year))
    return _png(plt, fig)


def proceedings(data: OfficeData, font: Path) -> bytes:
    plt, fig, ax = _figure(font)
    cells = data.cells()
    results = [c for c in cat.T4_COLUMNS if c.id != "total"]
    names = [r.label for r in cat.T4_ROWS]
    left = [0.0] * len(names)
    for result in results:
        values = [float(cells.get(f"t4.{r.id}.{result.id}", 0)) for r in cat.T4_ROWS]
        ax.barh(names, values, left=left, label=result.label)
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_xlabel(words.COUNT_AXIS)
    ax.invert_yaxis()  # 行政复议 first, as table 四 prints it
    ax.set_title(words.CHART_PROCEEDINGS.format(name=data.name, year=data.year))
    ax.legend()
    return _png(plt, fig)


def status(data: OfficeData, font: Path) -> bytes:
    plt, fig, ax = _figure(font)
    places = data.subscopes("city") if data.scope[0] == "province" else data.subscopes("county")
    names = [s.scope_name or s.scope_code for s in places]
    parts = (
        (words.STATUS_WORDS["loaded"], [s.loaded for s in places], "#3b7d4f"),
        (words.STATUS_WORDS["rejected"], [s.rejected for s in places], "#d08c2e"),
        (words.STATUS_WORDS["missing"], [s.missing for s in places], "#b5523b"),
    )
    bottom = [0] * len(places)
    for label, values, colour in parts:
        ax.bar(names, values, bottom=bottom, label=label, color=colour)
        bottom = [a + b for a, b in zip(bottom, values, strict=True)]
    ax.set_ylabel(words.AGENCIES_AXIS)
    rate = ax.twinx()
    rate.plot(names, [(s.pass_rate or 0) * 100 for s in places], color="#1f3b73", marker="D", label=words.PASS_RATE)
    rate.set_ylim(0, 105)
    rate.set_ylabel(words.PASS_RATE + " %")
    ax.set_title(words.CHART_STATUS.format(name=data.name, year=data.year))
    handles, labels = ax.get_legend_handles_labels()
    h2, l2 = rate.get_legend_handles_labels()
    ax.legend(handles + h2, labels + l2, loc="lower right")
    ax.tick_params(axis="x", rotation=30 if len(names) > 6 else 0)
    return _png(plt, fig)


CHARTS = {"trends": trends, "refusals": refusals, "proceedings": proceedings, "status": status}


def draw_charts(data: OfficeData, font: Path | None = None) -> dict[str, bytes] | None:
    """Chart file name → PNG bytes; None when no CJK font is installed."""
    font = font or cjk_font()
    if font is None:
        return None
    return {words.CHART_FILES[name]: draw(data, font) for name, draw in CHARTS.items()}
