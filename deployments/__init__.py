"""The deployments' files (`prefect.yaml`), shipped as package data so `xxgk serve` finds them
in an installed package as well as in a checkout. No code."""
