"""The local SQLite cache: schema, migrations, queries, verdict columns."""
