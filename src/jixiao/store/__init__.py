"""Storage: evaluations, documents, findings, users and history in SQLite or PostgreSQL."""
