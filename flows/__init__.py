"""Prefect flows and the `xxgk` command line.

Prefect reads its settings from the environment when first imported, so the defaults every use
of the flows shares (no telemetry) are set here, before any flow module imports it; the command
line adds its own in `flows.prefect_env.configure`.
"""

from flows.prefect_env import defaults

defaults()
