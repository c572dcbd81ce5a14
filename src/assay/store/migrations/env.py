"""Alembic environment, configured in code: `assay.store.db.upgrade` passes the connection.

For developers writing a new revision: `alembic -x url=sqlite:///dev.db revision --autogenerate`
with a minimal alembic.ini whose script_location points here; otherwise nothing reads an ini.
"""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import create_engine

from assay.store.db import include_name, objects_of_dialect
from assay.store.schema import Base


def run_migrations(connection: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        include_name=include_name,
        include_object=objects_of_dialect(connection.dialect.name),
        compare_type=True,
        # SQLite cannot ALTER most things; batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    config = context.config
    connection = config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("alembic: pass -x url=DATABASE_URL (or set sqlalchemy.url)")
    engine = create_engine(url)
    with engine.begin() as conn:
        run_migrations(conn)
    engine.dispose()


main()
