"""Numbered schema migrations (Alembic), run by ``open_store``; no alembic.ini needed."""
