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
import sqlalchemy as sa
import sqlmodel


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


# SQLite rebuilds the table to alter a column: it must keep AUTOINCREMENT and the highest id
# ever given, or a match id could be given again to another pair once the highest was deleted
# (people answer by match id).
_KEEP = {'sqlite_autoincrement': True}


def _resize(old: int, new: int) -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == 'sqlite'
    given = bind.execute(sa.text("SELECT seq FROM sqlite_sequence WHERE name = 'watch_matches'")).scalar() \
        if sqlite else None
    if new < old:
        bind.execute(sa.text(f"UPDATE watch_matches SET reasons = substr(reasons, 1, {new}) "
                             f"WHERE length(reasons) > {new}"))
    with op.batch_alter_table('watch_matches', schema=None, table_kwargs=_KEEP) as batch_op:
        batch_op.alter_column('reasons', existing_type=sqlmodel.sql.sqltypes.AutoString(length=old),
                              type_=sqlmodel.sql.sqltypes.AutoString(length=new), existing_nullable=True)
    if given is not None:
        bind.execute(sa.text("UPDATE sqlite_sequence SET seq = max(seq, :given) WHERE name = 'watch_matches'"),
                     {"given": given})
        bind.execute(sa.text("INSERT INTO sqlite_sequence (name, seq) SELECT 'watch_matches', :given WHERE NOT "
                             "EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'watch_matches')"), {"given": given})


def upgrade() -> None:
    _resize(200, 600)
    # Matches found by name before held a name likeness (80-100), not a probability: the digest
    # shows no likelihood for them (-1) rather than call a likeness a chance.
    op.execute("UPDATE watch_matches SET score = -1 WHERE matched_by <> 'case_number'")


def downgrade() -> None:
    _resize(600, 200)
