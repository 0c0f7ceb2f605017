"""Prefect flows and the `xxgk` command line."""
