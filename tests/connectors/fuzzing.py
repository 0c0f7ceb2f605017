"""Mutated reports for the readers: what `bench/fuzz.py` and `test_fuzz.py` feed `report_from_bytes`.

A reader may refuse any input, with `UnreadableFile` and its one-line reason, or read it; any
other exception, or a read that does not end within its time limit, is a failure. Mutations work
on real samples and generated reports: bytes flipped, inserted, deleted or cut off; inside a
docx, the XML of the document edited and the package rebuilt; in text and HTML, digits and CJK
characters changed, lines dropped and tags broken.
"""

from __future__ import annotations

import io
import random
import signal
import time
import traceback
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from connectors.document import UnreadableFile
from connectors.reading import report_from_bytes

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "flows" / "samples"
SEEDS = ROOT / "tests" / "fixtures" / "seeds"
READERS = ("docx", "html", "txt", "pdf")
_CJK = "总计本年新收上年结转予以公开不予公开行政复议诉讼件万元〇一二三四五六七八九十"
_DIGITS = "0123456789０１２３４５６７８９"


class Hang(Exception):
    """A read that went past its time limit."""


# ------------------------------------------------------------------ seeds


def seeds(generated: int = 6, whole_pdfs: bool = False) -> dict[str, list[tuple[str, bytes]]]:
    """Real samples and a few generated reports of every format, by reader.

    PDFs are the pages, one by one, of the sample and of generated reports printed by `report_pdf`,
    plus the small hand-written PDFs of `pdf_build`
    (encrypted, no Unicode map, scan, blank pages, plain text): a mutated page sends pdfplumber
    through the whole page (~9,500 content-stream objects: most of a PDF input's time), and a
    mutated six-page report through all six, for the same code. `whole_pdfs` adds the whole report.
    """
    out: dict[str, list[tuple[str, bytes]]] = {kind: [] for kind in READERS}
    for path in sorted(SAMPLES.iterdir()):
        kind = path.suffix.lstrip(".")
        if kind in out:
            out[kind].append((path.name, path.read_bytes()))
    for path in sorted(SEEDS.glob("*.txt")):
        out["txt"].append((path.name, path.read_bytes()))
    whole = out["pdf"] + _generated_pdfs(generated)
    out["pdf"] = _pdf_pages(whole) + _built_pdfs() + (whole if whole_pdfs else [])
    import tempfile

    from synth.province import generate

    with tempfile.TemporaryDirectory() as tmp:
        generate(tmp, generated, range(2020, 2023), ("docx", "html", "txt"), 0.3, seed=7)
        for path in sorted((Path(tmp) / "reports").iterdir()):
            kind = path.suffix.lstrip(".")
            if kind in out:
                out[kind].append((path.name, path.read_bytes()))
    return out


def _pdf_pages(pdfs: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """Each page of the sample PDFs as a PDF of its own: quicker to read, so more inputs per second."""
    import pypdfium2 as pdfium

    out = []
    for name, data in pdfs:
        src = pdfium.PdfDocument(data)
        for page in range(len(src)):
            one = pdfium.PdfDocument.new()
            one.import_pages(src, [page])
            buf = io.BytesIO()
            one.save(buf)
            out.append((f"{name}#page{page + 1}", buf.getvalue()))
    return out


def _generated_pdfs(generated: int) -> list[tuple[str, bytes]]:
    """A few generated reports (faults included) as PDFs (`report_pdf`), for the PDF reader."""
    from synth.province import build
    from tests.connectors.report_pdf import report_pdf

    reports = build(max(generated, 3), range(2021, 2023), ("txt",), 0.3, seed=7).reports[:generated]
    return [(r.file.replace(".txt", ".pdf"), report_pdf(r)) for r in reports]


def _built_pdfs() -> list[tuple[str, bytes]]:
    """The hand-written PDFs of the reader's tests: each reaches another of its refusals."""
    from tests.connectors import pdf_build

    return [
        ("pdf_build.text_pdf", pdf_build.text_pdf()),
        ("pdf_build.encrypted_pdf", pdf_build.encrypted_pdf()),
        ("pdf_build.cid_only_pdf", pdf_build.cid_only_pdf()),
        ("pdf_build.image_only_pdf", pdf_build.image_only_pdf()),
        ("pdf_build.blank_pages_pdf", pdf_build.blank_pages_pdf(3)),
    ]


# ------------------------------------------------------------------ mutations


def _flip(data: bytes, rng: random.Random) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 16)):
        if buf:
            buf[rng.randrange(len(buf))] = rng.randrange(256)
    return bytes(buf)


def _cut(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(max(1, len(data)))]


def _splice(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(max(1, len(data)))
    if rng.random() < 0.5:
        return data[:at] + data[at + rng.randint(1, 4096) :]
    return data[:at] + rng.randbytes(rng.randint(1, 64)) + data[at:]


def _text_edit(text: str, rng: random.Random) -> str:
    """Digits, CJK characters, lines and tags changed, the way a careless edit would."""
    chars = list(text)
    for _ in range(rng.randint(1, 24)):
        if not chars:
            break
        i = rng.randrange(len(chars))
        choice = rng.random()
        if choice < 0.4:
            chars[i] = rng.choice(_DIGITS) * rng.choice((1, 1, 1, 40, 1000))
        elif choice < 0.7:
            chars[i] = rng.choice(_CJK)
        elif choice < 0.85:
            chars[i] = rng.choice(("<", ">", "&", "\n", "\t", "|", "　", "\x00", "\ufeff"))
        else:
            del chars[i : i + rng.randint(1, 200)]
    out = "".join(chars)
    if rng.random() < 0.2:
        lines = out.split("\n")
        rng.shuffle(lines)
        out = "\n".join(lines)
    if rng.random() < 0.1:  # nesting: a block repeated inside itself
        at = rng.randrange(max(1, len(out)))
        out = out[:at] + out[at : at + 2000] * rng.randint(2, 30) + out[at:]
    return out


def _in_text_runs(xml: str, rng: random.Random) -> str:
    """Only the text of `<w:t>` runs edited: the XML stays whole, so the reader gets further."""
    pieces = xml.split("<w:t")
    for i in rng.sample(range(1, len(pieces)), min(len(pieces) - 1, rng.randint(1, 12))) if len(pieces) > 1 else []:
        head, sep, tail = pieces[i].partition(">")
        text, close, rest = tail.partition("</w:t>")
        edited = _text_edit(text, rng).replace("<", "").replace("&", "")
        pieces[i] = head + sep + edited + close + rest
    return "<w:t".join(pieces)


def _docx_edit(data: bytes, rng: random.Random) -> bytes:
    """The package rebuilt with its document.xml (or another part) edited as text."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            parts = [(i, z.read(i)) for i in z.infolist()]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return _flip(data, rng)
    names = [i.filename for i, _ in parts]
    target = "word/document.xml" if rng.random() < 0.8 and "word/document.xml" in names else rng.choice(names)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info, body in parts:
            if info.filename == target:
                if rng.random() < 0.1:
                    continue  # the part left out
                text = body.decode("utf-8", "replace")
                body = (_in_text_runs(text, rng) if rng.random() < 0.5 else _text_edit(text, rng)).encode("utf-8")
            z.writestr(info.filename, body)
    return out.getvalue()


def mutate(kind: str, data: bytes, rng: random.Random) -> bytes:
    """One mutated input of a reader's format."""
    choice = rng.random()
    if kind == "docx" and choice < 0.6:
        return _docx_edit(data, rng)
    if kind in ("html", "txt") and choice < 0.6:
        encoding = "utf-8" if rng.random() < 0.8 else "gb18030"
        text = _text_edit(data.decode("utf-8", "replace"), rng)
        return text.encode(encoding, "replace")
    return rng.choice((_flip, _cut, _splice))(data, rng)


# ------------------------------------------------------------------ running


@dataclass
class Failure:
    reader: str
    seed_name: str
    kind: str  # an exception's type, or "hang"
    message: str
    data: bytes


@dataclass
class Tally:
    inputs: Counter = field(default_factory=Counter)
    read: Counter = field(default_factory=Counter)
    refused: Counter = field(default_factory=Counter)
    seconds: Counter = field(default_factory=Counter)
    #: (reader, seed file) → inputs mutated from it
    by_seed: Counter = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)


#: a read that waits rather than computes (no CPU time spent) is cut off after this many times the limit
WALL_FACTOR = 6


def _on_cpu_limit(signum: int, frame: object) -> None:
    raise Hang("cpu")


def _on_wall_limit(signum: int, frame: object) -> None:
    raise Hang("wall")


def read_once(data: bytes, name: str, limit: float) -> str:
    """"read", "refused", or raises: the reader's own exception, or Hang past `limit` seconds of
    CPU time (or `WALL_FACTOR` times that of wall time, for a read that blocks).

    CPU time, not wall time: on a shared machine a read waits for a core as long as it runs (a
    mutated page that took 1.1 s of CPU took over 10 s of wall time at a load of 10 on 2 cores)."""
    previous = signal.signal(signal.SIGPROF, _on_cpu_limit), signal.signal(signal.SIGALRM, _on_wall_limit)
    try:  # armed inside: a timer shorter than the arming itself rings before the read starts
        signal.setitimer(signal.ITIMER_PROF, limit)
        signal.setitimer(signal.ITIMER_REAL, limit * WALL_FACTOR)
        report_from_bytes(data, name)
        return "read"
    except UnreadableFile:
        return "refused"
    finally:
        _disarm(previous)


def _disarm(previous: tuple) -> None:
    """Both timers off and the handlers back, even when a timer rings during this: a ring here
    (a read that ended right at its limit) used to leave a timer armed and the handlers replaced,
    so a later test in the same process was stopped as a hang, or found SIGALRM taken."""
    while True:
        try:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.setitimer(signal.ITIMER_REAL, 0)
            break
        except Hang:  # the read is over; the ring came too late to matter
            continue
    signal.signal(signal.SIGPROF, previous[0])
    signal.signal(signal.SIGALRM, previous[1])


def inputs(corpus: dict[str, list[tuple[str, bytes]]], per_reader: int, seed: int) -> Iterator[tuple[str, str, bytes]]:
    """(reader, seed file, mutated bytes), `per_reader` for each reader, reproducibly."""
    for kind in READERS:
        files = corpus.get(kind)
        if not files:
            continue
        rng = random.Random(f"{seed}:{kind}")
        for _ in range(per_reader):
            name, data = rng.choice(files)
            yield kind, name, mutate(kind, data, rng)


def run(
    corpus: dict[str, list[tuple[str, bytes]]],
    per_reader: int,
    seed: int = 0,
    limit: float = 10.0,
    each: Callable[[str], None] | None = None,
) -> Tally:
    tally = Tally()
    for kind, name, data in inputs(corpus, per_reader, seed):
        started = time.perf_counter()
        try:
            outcome = read_once(data, f"fuzz.{kind}", limit)
        except Hang as hang:
            spent = f"{limit:g} s of CPU time" if hang.args == ("cpu",) else f"{limit * WALL_FACTOR:g} s of wall time"
            tally.failures.append(Failure(kind, name, "hang", f"no answer within {spent}", data))
            outcome = "failed"
        except Exception as exc:  # the fuzz target: anything but UnreadableFile is a failure
            where = traceback.extract_tb(exc.__traceback__)[-1]
            message = f"{exc} ({Path(where.filename).name}:{where.lineno})"
            tally.failures.append(Failure(kind, name, type(exc).__name__, message, data))
            outcome = "failed"
        tally.inputs[kind] += 1
        tally.by_seed[(kind, name)] += 1
        tally.seconds[kind] += time.perf_counter() - started
        if outcome == "read":
            tally.read[kind] += 1
        elif outcome == "refused":
            tally.refused[kind] += 1
        if each is not None:
            each(kind)
    return tally
