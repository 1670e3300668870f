# The newest migration's revision: a schema already there needs no Alembic run at all
# (tests/test_migrations.py checks it against the scripts).
HEAD_REVISION = "0020"
