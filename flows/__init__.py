"""Prefect flows and the `xxgk` command line.

Prefect reads its settings from the environment when first imported, so the defaults that keep
a run on this machine (no telemetry) are set here, before any flow module imports it.
"""

import os

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
