"""Mail fixtures: the warehouse tests' migrated warehouse (SQLite and PostgreSQL) with the small
test province's registry, the same fixtures rather than a copy."""

from __future__ import annotations

from tests.warehouse.conftest import engine, registered  # noqa: F401  (fixtures, used by name)
