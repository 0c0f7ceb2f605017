"""Migration scripts, applied in order by warehouse.migrate."""
