"""Every file is read under limits (XXGK_MAX_*): each limit reached is a reason naming the limit
and its setting; the defaults refuse no real report; hostile files are read or refused quickly."""

from __future__ import annotations

import dataclasses
import io
import re
import threading
import time
import zipfile
from pathlib import Path

import pytest

from connectors.document import UnreadableFile
from connectors.docx_reader import read_docx
from connectors.limits import DEFAULT_LIMITS, LimitReached, Limits, check_time, time_limit
from connectors.reading import read_file, reading_of, report_from_bytes
from connectors.sources import InboxFile, fetch
from flows.settings import Settings
from tests.conftest import SAMPLES, SEED, real_reports
from tests.connectors import pdf_build
from tests.connectors.docx_build import docx_bytes
from tests.connectors.test_docx_reader import _nested_docx

HTML_SAMPLE = SAMPLES / "平潭综合实验区_2023.html"
SHARED_SAMPLES = Path("/work/shared/samples")


def _reason(setting: str) -> str:
    """A reason naming the limit reached and its setting."""
    return rf"^limit reached: .+ \({setting}\)$"


def _refused(data: bytes, setting: str, **limits: float) -> str:
    """The reason reading `data` under the limits gives; it must name `setting`."""
    with pytest.raises(LimitReached) as caught:
        report_from_bytes(data, "inbox/file", Limits(**limits))
    reason = str(caught.value)
    assert re.match(_reason(setting), reason), reason
    return reason


@pytest.fixture(scope="module")
def seed_docx(seed_bytes: bytes) -> bytes:
    from connectors.text_reader import read_text

    return docx_bytes(read_text(seed_bytes), merge=True)


def _html_pad(body: bytes, size: int) -> bytes:
    """The real HTML report with `size` bytes of paragraphs added to its body."""
    para = b"<p>some text here</p>\n"
    return HTML_SAMPLE.read_bytes().replace(b"</body>", para * (size // len(para)) + b"</body>" + body)


# -- each limit reached names itself ------------------------------------------------------------


def test_file_size_limit_is_named(seed_bytes: bytes, tmp_path: Path) -> None:
    reason = _refused(seed_bytes, "XXGK_MAX_BYTES", bytes=1000)
    assert f"{len(seed_bytes):,} bytes, over 1,000" in reason
    # a file on disk is refused by its size, before its bytes are read
    path = tmp_path / "seed.txt"
    path.write_bytes(seed_bytes)
    got = read_file(path, limits=Limits(bytes=1000))
    assert got.report is None and re.match(_reason("XXGK_MAX_BYTES"), got.reason)
    # an inbox entry is refused by the size its listing gives
    with pytest.raises(LimitReached, match=_reason("XXGK_MAX_BYTES")):
        fetch(InboxFile(str(path), len(seed_bytes), None), max_bytes=1000)


def test_markup_size_limit_is_named_for_a_word_part_and_a_page(seed_docx: bytes) -> None:
    reason = _refused(seed_docx, "XXGK_MAX_MARKUP_BYTES", markup_bytes=10_000)  # the parts before are smaller
    assert reason.startswith("limit reached: word/document.xml decompressed is ")
    reason = _refused(HTML_SAMPLE.read_bytes(), "XXGK_MAX_MARKUP_BYTES", markup_bytes=2000)
    assert reason.startswith("limit reached: the page is ")
    _refused(SEED.read_bytes(), "XXGK_MAX_MARKUP_BYTES", markup_bytes=2000)


def test_markup_size_limit_counts_a_word_packages_xml_parts_together(seed_docx: bytes) -> None:
    """python-docx holds every part it parses, so the parts count together."""
    with zipfile.ZipFile(io.BytesIO(seed_docx)) as archive:
        largest = max(i.file_size for i in archive.infolist() if i.filename.endswith((".xml", ".rels")))
    reason = _refused(seed_docx, "XXGK_MAX_MARKUP_BYTES", markup_bytes=largest + 1)
    assert reason.startswith("limit reached: the package's XML parts decompressed are ")


def test_nesting_depth_limit_is_named() -> None:
    assert "nested over 20 deep" in _refused(_nested_docx(24), "XXGK_MAX_DEPTH", depth=20)
    page = _html_pad(b"", 0).replace(b"<body>", b"<body>" + b"<div>" * 40, 1)
    assert "nested over 30 deep" in _refused(page, "XXGK_MAX_DEPTH", depth=30)


def test_nesting_beyond_the_default_is_refused_not_a_recursion_error() -> None:
    """The HTML walk recurses per level: a page nested thousands deep is refused before it."""
    page = _html_pad(b"", 0).replace(b"<body>", b"<body>" + b"<div>" * 5000, 1)
    _refused(page, "XXGK_MAX_DEPTH", **dataclasses.asdict(DEFAULT_LIMITS))


def test_element_count_limit_is_named(seed_docx: bytes) -> None:
    assert re.search(r"[\d,]+ elements, over 500", _refused(seed_docx, "XXGK_MAX_ELEMENTS", elements=500))
    _refused(HTML_SAMPLE.read_bytes(), "XXGK_MAX_ELEMENTS", elements=500)
    assert "lines, over 100" in _refused(SEED.read_bytes(), "XXGK_MAX_ELEMENTS", elements=100)


def test_page_count_limit_is_named() -> None:
    reason = _refused(pdf_build.blank_pages_pdf(5), "XXGK_MAX_PAGES", pages=3)
    assert reason == "limit reached: 5 pages, over 3 (XXGK_MAX_PAGES)"


def test_time_limit_is_named_in_the_main_thread() -> None:
    """In the main thread a timer interrupts the read wherever it is (here a 16 MB page's parse)."""
    assert threading.current_thread() is threading.main_thread()
    page = _html_pad(b"", 12 * 1024 * 1024)
    started = time.monotonic()
    reason = _refused(page, "XXGK_MAX_SECONDS", seconds=0.05)
    assert reason == "limit reached: read took over 0.05 s (XXGK_MAX_SECONDS)"
    assert time.monotonic() - started < 10


def test_the_timer_stops_code_that_never_checks_the_deadline() -> None:
    started = time.monotonic()
    with pytest.raises(LimitReached, match=_reason("XXGK_MAX_SECONDS")), time_limit(0.2):
        time.sleep(5)
    assert time.monotonic() - started < 2


def test_time_limit_in_a_thread_is_checked_by_the_readers() -> None:
    """Away from the main thread no timer can be set: the readers' loops check the deadline."""
    page = _html_pad(b"", 4 * 1024 * 1024)
    got: list = []
    thread = threading.Thread(target=lambda: got.append(reading_of(page, "p.html", limits=Limits(seconds=0.05))))
    thread.start()
    thread.join(120)
    assert got and got[0].report is None
    assert got[0].reason == "limit reached: read took over 0.05 s (XXGK_MAX_SECONDS)"


def test_cooperative_deadline_raises_past_the_limit() -> None:
    def loop() -> None:
        while True:
            check_time()

    errors: list = []

    def run() -> None:
        try:
            with time_limit(0.1):
                loop()
        except LimitReached as exc:
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(10)
    assert errors and errors[0].field == "seconds"


def test_the_timer_is_put_back_after_a_read(seed_bytes: bytes) -> None:
    import signal

    before = signal.getsignal(signal.SIGALRM)
    report_from_bytes(seed_bytes, "seed.txt")
    assert signal.getsignal(signal.SIGALRM) is before and signal.getitimer(signal.ITIMER_REAL)[0] == 0


def test_a_limit_is_a_reason_for_the_file_not_an_error() -> None:
    got = reading_of(pdf_build.blank_pages_pdf(5), "inbox/many.pdf", limits=Limits(pages=3))
    assert got.report is None and got.reason == "limit reached: 5 pages, over 3 (XXGK_MAX_PAGES)"
    assert isinstance(LimitReached("x", "pages"), UnreadableFile)


# -- hostile files are quick ---------------------------------------------------------------------


def test_a_docx_nested_24_deep_reads_in_well_under_a_second() -> None:
    data = _nested_docx(24)
    started = time.monotonic()
    doc = read_docx(data)
    assert time.monotonic() - started < 0.5
    assert len(doc.tables) == 24


def test_a_50_mb_html_page_is_refused_at_once() -> None:
    """It once took minutes; its size is over what a parser is handed (lxml needs ~20x in memory)."""
    page = _html_pad(b"", 50 * 1024 * 1024)
    started = time.monotonic()
    got = reading_of(page, "inbox/huge.html")
    assert time.monotonic() - started < 3
    assert got.reason is not None and got.reason.endswith("(XXGK_MAX_MARKUP_BYTES)")


# -- the defaults refuse no real report ----------------------------------------------------------

#: a tenth of each default (a quarter of the depth; the time as it is, the machine may be busy):
#: every real and generated report still reads under them, so the defaults leave ample room
TIGHT = Limits(
    seconds=DEFAULT_LIMITS.seconds,
    bytes=DEFAULT_LIMITS.bytes // 10,
    markup_bytes=DEFAULT_LIMITS.markup_bytes // 10,
    depth=DEFAULT_LIMITS.depth // 4,
    elements=DEFAULT_LIMITS.elements // 10,
    pages=DEFAULT_LIMITS.pages // 10,
)


def _real_files() -> list[Path]:
    files = [path for path, _truth in real_reports()]
    if SHARED_SAMPLES.is_dir():
        files += sorted(p for p in SHARED_SAMPLES.iterdir() if not p.name.endswith((".json", ".md")))
    return files


@pytest.mark.parametrize("path", _real_files(), ids=lambda p: p.name)
def test_defaults_refuse_no_real_report(path: Path) -> None:
    for limits in (DEFAULT_LIMITS, TIGHT):
        got = read_file(path, limits=limits)
        assert got.report is not None and got.report.cells, got.reason


def test_defaults_refuse_no_generated_report(tmp_path: Path, seed_docx: bytes) -> None:
    from synth.province import generate

    generate(tmp_path, 3, range(2021, 2023), ("docx", "html", "txt"), 0.3, seed=5)
    files = sorted((tmp_path / "reports").iterdir())
    assert {p.suffix for p in files} == {".docx", ".html", ".txt"}
    for path in files:
        got = read_file(path, limits=TIGHT)
        assert not (got.reason or "").startswith("limit reached"), (path.name, got.reason)
    assert report_from_bytes(seed_docx, "seed.docx", TIGHT).cells


def test_settings_give_every_limit_from_its_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    values = {"seconds": 7.5, "bytes": 11, "markup_bytes": 12, "depth": 13, "elements": 14, "pages": 15}
    for field, value in values.items():
        monkeypatch.setenv(f"XXGK_MAX_{field.upper()}", str(value))
    assert Settings().limits() == Limits(**values)
    for field in values:
        monkeypatch.delenv(f"XXGK_MAX_{field.upper()}")
    assert Settings().limits() == DEFAULT_LIMITS


def test_every_limit_is_documented_with_its_default() -> None:
    root = Path(__file__).resolve().parents[2]
    readme, example = (root / "README.md").read_text(encoding="utf-8"), (root / ".env.example").read_text(encoding="utf-8")
    for field in dataclasses.fields(Limits):
        name, value = f"XXGK_MAX_{field.name.upper()}", getattr(DEFAULT_LIMITS, field.name)
        default = f"{value:g}" if isinstance(value, float) else str(value)
        assert f"| `{name}` | {default} " in readme, name
        assert f"# {name}={default}\n" in example, name


def test_a_limit_of_zero_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from pydantic import ValidationError

    monkeypatch.setenv("XXGK_MAX_SECONDS", "0")
    with pytest.raises(ValidationError, match="greater than 0"):
        Settings()


@pytest.mark.parametrize("command", ["parse", "check"])
def test_parse_and_check_read_under_the_settings_limits(
    command: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`xxgk parse` and `xxgk check` read under XXGK_MAX_*: one line naming the limit, exit 2."""
    from flows.cli import main
    from flows.settings import get_settings

    pdf = SAMPLES / "淮安市人民政府_2024.pdf"
    monkeypatch.setenv("XXGK_MAX_PAGES", "2")
    get_settings.cache_clear()
    try:
        code = main([command, "--json", str(pdf)])
    finally:
        get_settings.cache_clear()
    err = capsys.readouterr().err
    assert code == 2
    assert f"xxgk: {pdf}: limit reached: 6 pages, over 2 (XXGK_MAX_PAGES)\n" in err
    assert "Traceback" not in err


def test_an_infinite_time_limit_sets_no_timer(seed_bytes: bytes) -> None:
    assert report_from_bytes(seed_bytes, "seed.txt", Limits(seconds=float("inf"))).cells
