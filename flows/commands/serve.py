"""`xxgk serve`: run every deployment of deployments/prefect.yaml from this process.

Needs a running Prefect server (PREFECT_API_URL): the ephemeral API cannot schedule.
"""

from __future__ import annotations

import argparse
import os
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="serve the scheduled deployments against a running Prefect server")
    p.add_argument("--limit", type=int, default=None, help="most flow runs at once")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if not os.environ.get("PREFECT_API_URL"):
        from prefect.settings import PREFECT_API_URL

        if not PREFECT_API_URL.value():
            print(
                "xxgk: serve needs a Prefect server: start one with `prefect server start` and set "
                "PREFECT_API_URL=http://127.0.0.1:4200/api",
                file=sys.stderr,
            )
            return 2
    from prefect import serve

    from flows.deployments import runner_deployments

    serve(*runner_deployments(), limit=args.limit)
    return 0
