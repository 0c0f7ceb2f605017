"""An ingest reads every file under the XXGK_MAX_* limits: a file over one is quarantined with the
limit named, and the others load (tests/connectors/test_limits.py tests each limit)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flows.settings import get_settings
from synth.province import generate

pytestmark = pytest.mark.slow


def test_files_over_a_limit_are_quarantined_with_it_while_the_others_load(
    prefect_api, configured: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.ingest import ingest

    province = configured / "province"
    generate(province, 3, range(2022, 2023), ("docx", "html", "txt"), 0.0, seed=3)
    inbox = configured / "inbox"
    shutil.copytree(province / "reports", inbox)
    reports = sorted(p.name for p in inbox.iterdir())
    page = next(p for p in inbox.iterdir() if p.suffix == ".html").read_bytes()
    # nested deeper than the default XXGK_MAX_DEPTH (128): refused while it is read
    (inbox / "deep.html").write_bytes(page.replace(b"<body>", b"<body>" + b"<div>" * 300, 1))
    # over XXGK_MAX_BYTES (set just above every other file): refused before it is read
    largest = max(p.stat().st_size for p in inbox.iterdir())
    (inbox / "padded.html").write_bytes(page + b"<!--" + b"x" * largest + b"-->")
    monkeypatch.setenv("XXGK_MAX_BYTES", str(largest + 100))
    get_settings.cache_clear()

    summary = ingest(inbox=[str(inbox)], registry=str(province / "registry.csv"))

    states = {Path(f.source.path).name: (f.state, f.reason) for f in summary.files}
    assert states["padded.html"] == (
        "quarantined",
        f"limit reached: the file is {len(page) + largest + 7:,} bytes, over {largest + 100:,} (XXGK_MAX_BYTES)",
    )
    assert states["deep.html"] == ("quarantined", "limit reached: elements nested over 128 deep (XXGK_MAX_DEPTH)")
    assert {name: state for name, (state, _) in states.items() if name in reports} == dict.fromkeys(reports, "loaded")
