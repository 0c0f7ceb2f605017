"""The star-schema warehouse: schema, migrations, registry, raw archive, loading, queries.

Setting up: engine.py makes engines for any URL · schema.py the models · migrate.py runs Alembic
from code · dimensions.py the catalogue's fixed dimension rows · clock.py the naive-UTC clock ·
archive.py raw files by sha256 · spool.py a run's parsed and checked chunks between tasks.

The registry: registry_file.py the CSV · agency_versions.py its type-2 versions · regions.py the
region hierarchy · registry_matcher.py the `form.agency_matching` matcher over the registry ·
registry.py loading it, provisional agencies and alias mapping.

Loading a chunk: records.py the loader's input and output · placing.py agency, year and facts of
each report (pure) · facts.py the fact tables' layout and rows · submissions.py writing a chunk's
submissions and findings · supersession.py which submission counts · settling.py settling each
(agency, year) · results.py what happened to each file · audit.py the load audit · loader.py a
chunk in one transaction · reload_plan.py / reload.py backfill reloads and their dry run ·
backfill.py which stored files a backfill re-reads.

Reading back: previous_year.py last year's report for cross-year rules · queries.py totals,
per-report facts, checksums · aggregation.py / aggregation_sql.py the provincial 汇总 ·
consolidation.py consolidated reports against their members · quality.py findings per agency.
See warehouse/README.md for the schema and the decisions behind it.
"""
