"""RELIABILITY.md from the tests' own output: the hostile inbox, the fuzzing, the faults injected.

Run: `.venv/bin/python bench/reliability_report.py [--run] [--dir DIR] [--fuzz JSON ...] [--out FILE]`
(`make reliability` runs it with `--run`).

The tests write their figures as JSON when `XXGK_RELIABILITY_OUT=<dir>` is set, one file per
section (`{"section": "hostile" | "fuzz-short" | "crash", ...}`): `--run` runs them into `--dir`
(default a new temporary folder) first; without it the folder is only read. `bench/fuzz.py
--json-out` writes the long fuzz's totals (section "fuzz"); every file given by `--fuzz`
(default `bench/fuzz-results/*.json`) is summed per reader. Nothing here judges anew: each line
says what a test measured and whether its assertion held.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: the tests that write a section, run by --run (those missing in this checkout are left out)
TESTS = ("tests/hostile", "tests/connectors/test_fuzz.py", "tests/flows/test_crash.py")
READERS = ("docx", "html", "txt", "pdf")
FUZZ_TARGET = 10_000


def run_tests(folder: Path) -> int:
    present = [t for t in TESTS if (ROOT / t).exists()]
    env = {**os.environ, "XXGK_RELIABILITY_OUT": str(folder)}
    if os.environ.get("XXGK_TEST_POSTGRES_URL") is None:
        env["XXGK_TEST_POSTGRES_URL"] = "postgresql://postgres@127.0.0.1:5432/test"
    command = [sys.executable, "-m", "pytest", "-q", "-rxX", "-p", "no:cacheprovider", *present]
    print("running:", " ".join(command[2:]), flush=True)
    return subprocess.run(command, cwd=ROOT, env=env).returncode


def load(folder: Path, fuzz_files: list[Path]) -> dict[str, list[dict]]:
    sections: dict[str, list[dict]] = defaultdict(list)
    for path in sorted(folder.glob("*.json")) + fuzz_files:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            print(f"reliability_report: {path}: skipped ({exc})", file=sys.stderr)
            continue
        data["_file"] = str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
        sections[data.get("section", "?")].append(data)
    return sections


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def hostile_part(runs: list[dict]) -> list[str]:
    if not runs:
        return ["No figures: the hostile-inbox test did not run (`tests/hostile/`).", ""]
    out = []
    for h in runs:
        out += _hostile_run(h)
    return out


def _hostile_run(h: dict) -> list[str]:
    kinds = h["kinds"]
    held = sum(k["held"] for k in kinds)
    out = [
        f"### {h.get('database', 'sqlite')}",
        "",
        f"`tests/hostile/test_hostile_ingest.py` generates {h['hostile_files']} hostile files of {len(kinds)} "
        f"kinds (`tests/hostile/corpus.py`) beside {h['good_files']} good generated reports and ingests them "
        "with `xxgk ingest --json` in a subprocess, on a new account (Prefect's first start included).",
        "",
        f"- records: {h['records']} for {h['hostile_files'] + h['good_files']} files; "
        f"lines that are not valid UTF-8 JSON: {h['invalid_json_lines']}",
        f"- good reports loaded: {h['good_loaded']} of {h['good_files']}",
        f"- traceback in stdout/stderr: {'yes' if h['traceback'] else 'none'}; exit code {h['exit_code']}",
        f"- wall time: {h['wall_seconds']:.0f} s (bound {h['wall_bound_seconds']:.0f} s)",
        f"- kinds that ended as demanded: {held} of {len(kinds)}",
        "",
        "| kind | files | expected | actual | reason (most frequent) | held |",
        "|---|---:|---|---|---|---|",
    ]
    for k in kinds:
        expected = k["expected"] + (f" ({', '.join(k['expected_words'])})" if k["expected_words"] else "")
        actual = ", ".join(f"{state} {n}" for state, n in sorted(k["actual"].items()))
        mark = "yes" if k["held"] else ("waits: " + k["waits_for"] if k.get("waits_for") else "**no**")
        if not k["held"] and not k.get("waits_for") and k.get("failed_with_chunk") and k.get("rest_held"):
            mark = f"the rest yes; {k['failed_with_chunk']} failed with their chunk"
        out.append(f"| {k['kind']} | {k['files']} | {_cell(expected)} | {actual} | {_cell(k['reason'][:90])} | "
                   f"{_cell(mark)} |")
    out.append("")
    return out


def fuzz_part(long_runs: list[dict], short_runs: list[dict]) -> list[str]:
    out = []
    totals: dict[str, dict[str, float]] = {r: defaultdict(float) for r in READERS}
    wall = 0.0
    for run in long_runs:
        wall += run.get("wall_seconds", 0)
        for reader, f in run["per_reader"].items():
            t = totals[reader]
            for key in ("inputs", "read", "refused", "foreign_exceptions", "hangs"):
                t[key] += f[key]
            t["seconds"] += f["ms_per_input"] * f["inputs"] / 1000
            t["runs"] += 1
    if long_runs:
        limits = sorted({r["limit_seconds"] for r in long_runs})
        out += [
            f"`bench/fuzz.py` ({len(long_runs)} runs, in {', '.join(sorted({str(Path(r['_file']).parent) for r in long_runs}))}/; "
            f"hang limit {', '.join(f'{x:g}' for x in limits)} s of CPU time an input; {wall / 60:.0f} min of runs). Every input is a "
            "mutated real sample or generated report (bytes flipped, inserted, cut; XML inside docx edited; digits and "
            "CJK changed); anything but the project's `UnreadableFile` is a foreign exception.",
            "",
            "PDF seeds are the pages of the real sample and of generated reports, one by one, and the small "
            "hand-written PDFs of the reader's tests, drawn uniformly (the inputs per seed are in the result files). "
            "A mutated real page costs most of a second: pdfminer interprets every object of its content stream "
            "(about 9,500 a page, each glyph placed on its own), and a page alone is never a complete report, so "
            "pdfium's fast text layer is always followed by pdfplumber's ruled tables.",
            "",
            "| reader | inputs | read | refused | foreign exceptions | hangs | ms/input | ≥ 10,000 |",
            "|---|---:|---:|---:|---:|---:|---:|---|",
        ]
        for reader in READERS:
            t = totals[reader]
            if not t["inputs"]:
                out.append(f"| {reader} | 0 | | | | | | **no** |")
                continue
            n = int(t["inputs"])
            out.append(
                f"| {reader} | {n:,} | {int(t['read']):,} | {int(t['refused']):,} | {int(t['foreign_exceptions'])} | "
                f"{int(t['hangs'])} | {1000 * t['seconds'] / n:.0f} | {'yes' if n >= FUZZ_TARGET else '**no**'} |"
            )
        failures = [f for run in long_runs for f in run.get("failures", [])]
        out.append("")
        if failures:
            out.append("Failures:")
            out += [f"- {f['reader']} ({f['seed']}): {f['kind']}: {_cell(f['message'][:200])}" for f in failures[:20]]
            out.append("")
    else:
        out += ["No long fuzz results (`bench/fuzz.py --json-out bench/fuzz-results/NAME.json`).", ""]
    if short_runs:
        out.append("The short version in `make test` (`tests/connectors/test_fuzz.py`): " + "; ".join(
            f"{r['reader']} {r['inputs']} inputs, {r['foreign_exceptions']} foreign, {r['hangs']} hangs"
            for r in sorted(short_runs, key=lambda r: READERS.index(r["reader"]))
        ) + ".")
        out.append("")
    return out


def fixed_part(runs: list[dict]) -> list[str]:
    """Runs kept from before a fix (bench/fuzz-results/before-fixes/): what they found, not counted above."""
    failures = [(run, f) for run in runs for f in run.get("failures", [])]
    if not failures:
        return []
    out = ["Found by earlier runs and dealt with since — a reader fixed, or a hang measured in wall time on the "
           "loaded machine where the limit is now CPU time (`tests/connectors/fuzzing.py`, `read_once`). The same "
           "seed ran again afterwards and is counted above; these runs are not:", ""]
    for run, f in failures:
        n = sum(r["inputs"] for r in run["per_reader"].values())
        out.append(f"- {run['_file']} (seed {run['seed']}, {n:,} inputs): {f['reader']} ({f['seed']}): {f['kind']}: "
                   f"{_cell(f['message'][:200])}")
    return out + [""]


def crash_part(runs: list[dict]) -> list[str]:
    if not runs:
        return ["No figures: the crash and concurrency tests did not run here (`tests/flows/test_crash.py`).", ""]
    out = []
    for r in runs:
        if "kills" in r:
            out += [
                f"**SIGKILL during ingest, {r['database']}** ({r['files']} files, chunk size {r.get('chunk_size')}): "
                f"{len(r['kills'])} kill points, then a rerun, against an uninterrupted run.",
                "",
            ]
            out += [f"- {k['point']} #{k['nth']}: {k['what']}" for k in r["kills"]]
            out += [
                "",
                f"- warehouse identical: {'yes' if r['warehouse_identical'] else '**no**'}; archive identical: "
                f"{'yes' if r['archive_identical'] else '**no**'}; outbox identical: "
                f"{'yes' if r['outbox_identical'] else '**no**'}",
                f"- mails: {r['mails_sent']} sent of {r['mails_expected']}; lost {r['mails_lost']}, "
                f"doubled {r['mails_doubled']}",
                "",
            ]
        else:
            out += [
                f"**{r.get('what', 'concurrency')}, {r['database']}** ({r['files']} files): exit codes "
                f"{r.get('exit_codes')}, {r.get('seconds')} s; duplicates {r.get('duplicates')}",
                "",
            ]
    return out


def held_part(sections: dict[str, list[dict]]) -> list[str]:
    out = []
    for run in sections.get("hostile", []):
        kinds = run["kinds"]
        out.append(f"**Hostile inbox, {run.get('database', 'sqlite')}**: {run['good_loaded']} of {run['good_files']} "
                   f"good reports loaded; {run['records']} records for {run['hostile_files'] + run['good_files']} files; "
                   f"traceback: {'yes' if run['traceback'] else 'none'}; {run['wall_seconds']:.0f} s.")
        out.append("")
        good = [k["kind"] for k in kinds if k["held"]]
        chunked = [k for k in kinds if not k["held"] and not k.get("waits_for") and k.get("failed_with_chunk")
                   and k.get("rest_held")]
        unjudged = [k for k in chunked if k["failed_with_chunk"] >= k["files"]]
        chunked = [k for k in chunked if k not in unjudged]
        bad = [k for k in kinds if not k["held"] and k not in chunked and k not in unjudged]
        out.append(f"- Held: {len(good)} of {len(kinds)} hostile kinds ({', '.join(good)}).")
        if chunked:
            out.append(
                f"- Held for every file judged, but {sum(k['failed_with_chunk'] for k in chunked)} files of "
                f"{len(chunked)} kinds ({', '.join(k['kind'] for k in chunked)}) ended `failed` with a whole chunk "
                "that another file failed (see the kinds below that did not hold)."
            )
        if unjudged:
            out.append(f"- Not judged: every file of {', '.join(k['kind'] for k in unjudged)} failed with its chunk.")
        for k in bad:
            why = f" — waits for: {k['waits_for']}" if k.get("waits_for") else ""
            out.append(f"- Did not hold: {k['kind']} ({'; '.join(k['wrong'][:2])}){_cell(why)}")
        out.append("")
    for run in sections.get("crash", []):
        if "kills" in run:
            ok = run["warehouse_identical"] and run["archive_identical"] and not run["mails_lost"] and not run["mails_doubled"]
            out.append(f"- Crash ({run['database']}): {'held' if ok else '**did not hold**'} over {len(run['kills'])} kills.")
        else:
            dup = run.get("duplicates") or {}
            out.append(f"- Concurrency ({run['database']}): {'no duplicate' if not any(dup.values()) else dup}.")
    return out + [""]


def render(sections: dict[str, list[dict]]) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    sources = sorted({d["_file"] for k, ds in sections.items() if not k.startswith("fuzz") or k == "fuzz-short"
                      for d in ds}) + ["bench/fuzz-results/"]
    lines = [
        "# Reliability",
        "",
        f"Written by `bench/reliability_report.py` on {when} from the tests' own output "
        f"({', '.join(f'`{s}`' for s in sources) or 'no results'}); `make reliability` runs the tests and "
        "writes it again. Nothing here is typed by hand.",
        "",
        "## What held",
        "",
        *held_part(sections),
        "## Hostile inbox",
        "",
        *hostile_part(sections.get("hostile", [])),
        "## Fuzzing",
        "",
        *fuzz_part(sections.get("fuzz", []), sections.get("fuzz-short", [])),
        *fixed_part(sections.get("fuzz-before-fixes", [])),
        "## Faults injected",
        "",
        *crash_part(sections.get("crash", [])),
    ]
    return "\n".join(lines).rstrip() + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--run", action="store_true", help="run the tests into --dir first")
    parser.add_argument("--dir", type=Path, help="the tests' JSON folder (default: a new temporary one)")
    parser.add_argument("--fuzz", type=Path, nargs="*", help="bench/fuzz.py --json-out files")
    parser.add_argument("--out", type=Path, default=ROOT / "RELIABILITY.md")
    args = parser.parse_args()
    folder = args.dir or Path(tempfile.mkdtemp(prefix="xxgk-reliability-"))
    if args.run:
        started = time.monotonic()
        code = run_tests(folder)
        print(f"tests ended with exit code {code} after {time.monotonic() - started:.0f} s", flush=True)
    fuzz_files = args.fuzz if args.fuzz is not None else sorted((ROOT / "bench" / "fuzz-results").glob("*.json"))
    sections = load(folder, [p.resolve() for p in fuzz_files])
    for run in load(Path(tempfile.mkdtemp()), sorted((ROOT / "bench" / "fuzz-results" / "before-fixes").glob("*.json")))[
        "fuzz"
    ]:
        sections["fuzz-before-fixes"].append(run)
    args.out.write_text(render(sections), encoding="utf-8")
    print(f"wrote {args.out} ({', '.join(f'{k}: {len(v)}' for k, v in sorted(sections.items()))})")


if __name__ == "__main__":
    main()
