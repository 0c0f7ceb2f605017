"""The `xxgk` command line: one front door, each command in its own module under flows/commands."""

from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS = ("parse", "check", "ingest", "backfill", "aggregate", "serve", "synth", "warehouse", "registry")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="xxgk",
        description="Read, check and load 政府信息公开工作年度报告 (government information disclosure annual reports).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"flows.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.startswith("flows.commands"):
                continue
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except KeyboardInterrupt:
        print("xxgk: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
