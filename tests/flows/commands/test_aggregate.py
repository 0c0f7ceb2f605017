"""`xxgk aggregate`: a region or an output folder it cannot use is refused before Prefect starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows import cli
from flows.errors import EXIT_UNREADABLE


@pytest.fixture
def upgraded(configured: Path) -> Path:
    """`configured` (tests/flows/conftest.py) with its warehouse migrated."""
    assert cli.main(["warehouse", "upgrade"]) == 0
    return configured


def test_a_region_the_registry_does_not_name_is_refused(upgraded: Path, capsys) -> None:
    capsys.readouterr()
    assert cli.main(["aggregate", "--year", "2023", "--region", "999900"]) == EXIT_UNREADABLE
    err = capsys.readouterr().err
    assert err.startswith("xxgk: --region 999900: the registry names no province, city or county")


def test_a_region_code_must_be_six_digits(upgraded: Path, capsys) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main(["aggregate", "--region", "32"])
    assert done.value.code == 2 and "6-digit region code" in capsys.readouterr().err
