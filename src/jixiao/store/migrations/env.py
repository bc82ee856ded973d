"""Alembic environment: ``open_store`` hands over its connection; nothing read from an ini."""

from __future__ import annotations

from alembic import context

from jixiao.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
