"""The PNG charts: drawn with a CJK font when one is installed, skipped with a note otherwise."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import Engine

from form import output_words as words
from outputs import charts
from outputs.data import OfficeData, load_office_data
from outputs.files import write_documents

from .conftest import YEARS


@pytest.fixture(scope="module")
def data(province: Engine) -> OfficeData:
    with province.connect() as conn:
        return load_office_data(conn, YEARS[-1])


@pytest.mark.slow  # loads a generated province
def test_every_chart_is_a_png_drawn_with_a_cjk_font(data: OfficeData) -> None:
    font = charts.cjk_font()
    if font is None:
        pytest.skip("no CJK font installed (apt-get install fonts-noto-cjk): the charts are skipped")
    from matplotlib import font_manager
    from PIL import Image

    assert font_manager.FontProperties(fname=str(font)).get_name()
    drawn = charts.draw_charts(data, font)
    assert drawn is not None and set(drawn) == set(words.CHART_FILES.values())
    for png in drawn.values():
        with Image.open(io.BytesIO(png)) as image:
            assert image.format == "PNG" and image.size[0] > 800 and image.size[1] > 400


@pytest.mark.slow
def test_without_a_cjk_font_the_charts_are_skipped_with_a_note(
    province: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(charts, "cjk_font", lambda: None)  # a machine without fonts-noto-cjk
    written, notes = write_documents(province, YEARS[-1], None, tmp_path)
    assert {w.kind for w in written} == {"docx", "xlsx"} | ({"dashboard"} & {w.kind for w in written})
    assert notes == [words.NO_CJK_FONT] and not list(tmp_path.glob("*.png"))


@pytest.mark.slow
def test_a_region_without_agencies_in_the_year_writes_nothing_and_says_why(province: Engine, tmp_path: Path) -> None:
    written, notes = write_documents(province, YEARS[-1], "999900", tmp_path)
    assert written == [] and notes == ["no documents written: region 999900 has no agencies in the 2023 aggregation"]
    written, notes = write_documents(province, 1999, None, tmp_path)
    assert written == [] and notes == ["no documents written: 1999 has not been aggregated"]
