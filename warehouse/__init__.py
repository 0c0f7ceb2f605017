"""The star-schema warehouse (issue 5): schema, migrations, registry, raw archive, loader, queries.

engine.py makes engines for any URL · schema.py the models · migrate.py runs Alembic from code ·
dimensions.py the catalogue's fixed dimension rows · registry_file.py the registry CSV ·
agency_versions.py its type-2 versions · regions.py the region hierarchy · registry_matcher.py
the agency matcher over the registry · registry.py loading it, provisional agencies and alias
mapping · previous_year.py last year's report for cross-year rules · archive.py raw files by sha256 · records.py the loader's input and output ·
supersession.py which submission counts · loader.py chunked, idempotent loads · reload.py
backfill reloads and their dry run · aggregation.py the provincial 汇总 · queries.py totals,
per-report facts, backfill targets, checksums. See warehouse/README.md for the schema and decisions.
"""
