"""The deployments file, reviewed: a schedule or a parameter cannot change unnoticed."""

from __future__ import annotations

from pathlib import Path

import deployments
from flows.deployments import PREFECT_YAML, deployment_specs, flow_of, runner_deployments

#: the reviewed snapshot: (name, entrypoint, schedules, parameters)
REVIEWED = [
    ("ingest-submission-season", "flows/ingest.py:ingest", ["0 * * 1-3 *"], {"inbox": ["inbox"]}),
    ("aggregate-after-deadline", "flows/aggregate.py:aggregate", ["0 6 1 2 *", "0 6 1 4 *"], {}),
    ("backfill", "flows/backfill.py:backfill", [], {"dry_run": False}),
    ("notify-retry", "flows/notify.py:notify", ["*/15 * * * *"], {}),
]


def test_deployments_match_the_reviewed_snapshot() -> None:
    specs = deployment_specs()
    got = [(s["name"], s["entrypoint"], [x["cron"] for x in s["schedules"]], s["parameters"]) for s in specs]
    assert got == REVIEWED
    assert {s["work_pool"]["name"] for s in specs} == {"xxgk"}


def test_every_entrypoint_is_a_flow_accepting_its_parameters() -> None:
    for spec in deployment_specs():
        flow = flow_of(spec["entrypoint"])
        assert flow.name == spec["entrypoint"].rsplit(":", 1)[1]
        accepted = set(flow.parameters.properties)
        assert set(spec["parameters"]) <= accepted, spec["name"]


def test_the_file_ships_in_the_deployments_package() -> None:
    assert Path(deployments.__file__).resolve().parent / "prefect.yaml" == PREFECT_YAML
    assert PREFECT_YAML.is_file()


def test_served_deployments_name_their_flows_by_module() -> None:
    """`xxgk serve` from an installed package: a module path imports wherever the package is."""
    served = runner_deployments()
    assert [d.name for d in served] == [name for name, *_ in REVIEWED]
    for deployment, spec in zip(served, deployment_specs(), strict=True):
        module_path = spec["entrypoint"].replace(".py:", ".").replace("/", ".")
        assert deployment.entrypoint == module_path
        assert [s.schedule.cron for s in deployment.schedules] == [s["cron"] for s in spec["schedules"]]
