"""The deployments in `deployments/prefect.yaml`, as Prefect runner deployments for `xxgk serve`.

The YAML file is the one place schedules and parameters are written; `prefect deploy` reads it
for work-pool deployments and `xxgk serve` reads it here, so both run the same schedules. It ships
as package data of `deployments`, and `serve` names each flow by its module (`flows.ingest.ingest`),
so an installed package serves the same deployments as a checkout.
"""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path
from typing import Any

import yaml

import deployments

PREFECT_YAML = Path(deployments.__file__).resolve().parent / "prefect.yaml"


def deployment_specs(path: Path = PREFECT_YAML) -> list[dict[str, Any]]:
    """The `deployments:` entries of a prefect.yaml."""
    return list(yaml.safe_load(path.read_text(encoding="utf-8"))["deployments"])


def flow_of(entrypoint: str):
    """The flow object an entrypoint such as `flows/ingest.py:ingest` names."""
    file, _, name = entrypoint.partition(":")
    module = ".".join(Path(file).with_suffix("").parts)
    return getattr(importlib.import_module(module), name)


def runner_deployments(path: Path = PREFECT_YAML) -> list:
    """Every deployment of the file, with its schedules, for `prefect.serve`."""
    from prefect.deployments.runner import EntrypointType
    from prefect.schedules import Cron, Interval

    out = []
    for spec in deployment_specs(path):
        schedules = []
        for s in spec.get("schedules") or []:
            if "cron" in s:
                schedules.append(Cron(s["cron"], timezone=s.get("timezone"), active=s.get("active", True)))
            elif "interval" in s:
                schedules.append(Interval(s["interval"], timezone=s.get("timezone"), active=s.get("active", True)))
        out.append(
            flow_of(spec["entrypoint"]).to_deployment(
                name=spec["name"],
                schedules=schedules,
                parameters=spec.get("parameters") or {},
                description=spec.get("description"),
                tags=spec.get("tags"),
                entrypoint_type=EntrypointType.MODULE_PATH,
            )
        )
    return out
