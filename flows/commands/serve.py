"""`xxgk serve`: run every deployment of deployments/prefect.yaml from this process.

Needs a running Prefect server (PREFECT_API_URL): the ephemeral API cannot schedule.
"""

from __future__ import annotations

import argparse

from flows.errors import EXIT_UNREADABLE, CommandError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="serve the scheduled deployments against a running Prefect server")
    p.add_argument("--limit", type=int, default=None, help="most flow runs at once")
    p.set_defaults(handler=run, verbose=True)  # a long-running process: Prefect's log is its output


def run(args: argparse.Namespace) -> int:
    from flows import prefect_env

    if not prefect_env.configured_api_url():
        raise CommandError(
            "serve",
            "needs a Prefect server (the temporary one cannot schedule)",
            "start one with `prefect server start` and set PREFECT_API_URL=http://127.0.0.1:4200/api",
            EXIT_UNREADABLE,
        )
    prefect_env.start_api()  # says plainly when the server does not answer
    from prefect import serve

    from flows.deployments import runner_deployments

    serve(*runner_deployments(), limit=args.limit)
    return 0
