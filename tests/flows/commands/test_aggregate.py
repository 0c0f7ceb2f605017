"""`xxgk aggregate`: a region or an output folder it cannot use is refused before Prefect starts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from flows import cli
from flows.errors import EXIT_UNREADABLE
from flows.settings import get_settings


@pytest.fixture
def configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for name in ("XXGK_WAREHOUSE_URL", "XXGK_ARCHIVE_URL", "XXGK_OUTBOX_DIR", "XXGK_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XXGK_HOME", str(tmp_path / "xxgk-data"))
    get_settings.cache_clear()
    assert cli.main(["warehouse", "upgrade"]) == 0
    yield tmp_path
    get_settings.cache_clear()


def test_a_region_the_registry_does_not_name_is_refused(configured: Path, capsys) -> None:
    capsys.readouterr()
    assert cli.main(["aggregate", "--year", "2023", "--region", "999900"]) == EXIT_UNREADABLE
    err = capsys.readouterr().err
    assert err.startswith("xxgk: --region 999900: the registry names no province, city or county")


def test_a_region_code_must_be_six_digits(configured: Path, capsys) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main(["aggregate", "--region", "32"])
    assert done.value.code == 2 and "6-digit region code" in capsys.readouterr().err
