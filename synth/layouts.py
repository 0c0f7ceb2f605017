"""Drawing a report's layout: each variant at roughly the rate it appears in published reports."""

from __future__ import annotations

import random

from form.printing import DASH_MARKS
from synth.printed import Layout

FORMATS = ("docx", "html", "txt")


def _pick(rng: random.Random, options: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([o for o, _ in options], [w for _, w in options])[0]


def choose(rng: random.Random, fmt: str) -> Layout:
    """A layout for a file of format `fmt` (docx, html or txt)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    t3_style = _pick(rng, (("merged", 0.45), ("unmerged", 0.35), ("flat", 0.2)))
    zero = _pick(rng, (("0", 0.6), ("blank", 0.2), ("dash", 0.2)))
    return Layout(
        format=fmt,
        title_style=rng.randrange(3),
        date_style=int(_pick(rng, (("0", 0.7), ("1", 0.15), ("2", 0.15)))),
        t2_style=_pick(rng, (("merged", 0.4), ("plain", 0.35), ("split", 0.25))),
        t3_style=t3_style,
        header_breaks=rng.random() < 0.5,
        entities=rng.random() < 0.12,
        t3_split=fmt != "txt" and rng.random() < 0.15,
        t4_style="rows" if rng.random() < 0.25 else "row",
        zero={"0": "0", "blank": "", "dash": rng.choice(DASH_MARKS)}[zero],
        fullwidth=rng.random() < 0.1,
        label_variant=rng.random() < 0.2,
        carried_in_note=rng.random() < 0.25,
        vertical_labels=t3_style != "flat" and rng.random() < 0.15,
        encoding="gb18030" if fmt != "docx" and rng.random() < 0.2 else "utf-8",
        wrapped=fmt == "html" and rng.random() < 0.2,
        yuan=rng.random() < 0.3,
        split_runs=fmt == "docx" and rng.random() < 0.4,
        indent=rng.random() < 0.7,
        line_breaks="br" if rng.random() < 0.4 else "p",
        padding=fmt == "html" and rng.random() < 0.25,
    )
