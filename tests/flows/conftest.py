"""Flows run as Prefect flows against one temporary Prefect API for the whole session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from flows.settings import get_settings

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "CRITICAL")


@pytest.fixture(scope="session")
def prefect_api() -> Iterator[None]:
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """XXGK_HOME in a temporary folder, nothing else configured."""
    for name in ("XXGK_WAREHOUSE_URL", "XXGK_ARCHIVE_URL", "XXGK_OUTBOX_DIR", "XXGK_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XXGK_HOME", str(tmp_path / "xxgk-data"))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()
