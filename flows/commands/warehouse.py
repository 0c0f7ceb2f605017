"""`xxgk warehouse upgrade|downgrade|current`: bring the configured warehouse to a schema revision.

The URL is `XXGK_WAREHOUSE_URL` (any SQLAlchemy URL; postgresql:// uses psycopg 3), by default a
SQLite file under `XXGK_HOME`. Migrations are the only way the schema is created or changed.
"""

from __future__ import annotations

import argparse
import sys

from flows.errors import EXIT_UNREADABLE, shown_url
from flows.settings import get_settings
from warehouse import migrate

#: the warehouse is not in a state the command can work on (no schema, behind the code)
EXIT_REFUSED = EXIT_UNREADABLE


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("warehouse", help="create or migrate the warehouse schema")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    up = actions.add_parser("upgrade", help="migrate to the latest schema (or --revision)")
    up.add_argument("--revision", default="head")
    up.set_defaults(handler=upgrade)
    down = actions.add_parser(
        "downgrade", help="migrate down to REVISION ('base' drops every warehouse table)"
    )
    down.add_argument("revision")
    down.set_defaults(handler=downgrade)
    actions.add_parser("current", help="print the revision the warehouse is at").set_defaults(handler=current)


def _url() -> str:
    return get_settings().resolved_warehouse_url


def upgrade(args: argparse.Namespace) -> int:
    url = _url()
    before = migrate.current(url)
    after = migrate.upgrade(url, args.revision)
    print(f"warehouse {shown_url(url)}: {before or 'empty'} → {after}")
    return 0


def downgrade(args: argparse.Namespace) -> int:
    url = _url()
    before = migrate.current(url)
    if before is None:
        print(f"xxgk: warehouse {shown_url(url)} has no schema to downgrade", file=sys.stderr)
        return EXIT_REFUSED
    after = migrate.downgrade(url, args.revision)
    print(f"warehouse {shown_url(url)}: {before} → {after or 'base'}")
    return 0


def current(args: argparse.Namespace) -> int:
    url = _url()
    at, head = migrate.current(url), migrate.head()
    note = "up to date" if at == head else f"behind head {head}: run `xxgk warehouse upgrade`"
    print(f"warehouse {shown_url(url)}: {at or 'empty'} ({note})")
    return 0
