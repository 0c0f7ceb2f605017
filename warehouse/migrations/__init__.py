"""Alembic migrations of the warehouse (run through warehouse.migrate, no alembic.ini needed)."""
