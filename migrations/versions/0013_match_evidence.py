"""watch matches: room for the evidence in words

A match now carries its evidence in one line ("same surname (rare, 1 in 900); first name a
nickname of JAMES; same ZIP code; no middle initial on the list; match probability 0.93"),
longer than the reasons to review it carried before, and its score is the match probability in
percent rather than a name likeness.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""
from alembic import op
import sqlmodel


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


# SQLite rebuilds the table to alter a column: it must keep AUTOINCREMENT, or a match id could
# be given again to another pair once the highest was deleted.
_KEEP = {'sqlite_autoincrement': True}


def upgrade() -> None:
    with op.batch_alter_table('watch_matches', schema=None, table_kwargs=_KEEP) as batch_op:
        batch_op.alter_column('reasons', existing_type=sqlmodel.sql.sqltypes.AutoString(length=200),
                              type_=sqlmodel.sql.sqltypes.AutoString(length=600), existing_nullable=True)


def downgrade() -> None:
    with op.batch_alter_table('watch_matches', schema=None, table_kwargs=_KEEP) as batch_op:
        batch_op.alter_column('reasons', existing_type=sqlmodel.sql.sqltypes.AutoString(length=600),
                              type_=sqlmodel.sql.sqltypes.AutoString(length=200), existing_nullable=True)
