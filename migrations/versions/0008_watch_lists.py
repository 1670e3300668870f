"""partners' watch lists: their rows as match keys only, and the matches found with them

A watch list's names are never stored as written: only the normalized keys the matcher
compares (last name, full first name, middle initial), a ZIP code, a case number and the
partner's own row id. A match rejected by a person stays, so it is never proposed again.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('watch_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partner', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('row_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('last_key', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('first_key', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('middle_initial', sqlmodel.sql.sqltypes.AutoString(length=1), nullable=True),
    sa.Column('nickname', sa.Boolean(), nullable=False),
    sa.Column('zip5', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True),
    sa.Column('case_number', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('court_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('imported_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('partner', 'row_id', name='uq_watch_entries_partner_row')
    )
    with op.batch_alter_table('watch_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_watch_entries_case_number'), ['case_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_watch_entries_partner'), ['partner'], unique=False)

    op.create_table('watch_matches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partner', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('row_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('court_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('case_number', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('matched_by', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('verdict', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('reasons', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('decision', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
    sa.Column('found_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('decided_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('partner', 'row_id', 'court_id', 'case_number', name='uq_watch_matches_pair'),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('watch_matches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_watch_matches_partner'), ['partner'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('watch_matches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_watch_matches_partner'))

    op.drop_table('watch_matches')
    with op.batch_alter_table('watch_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_watch_entries_partner'))
        batch_op.drop_index(batch_op.f('ix_watch_entries_case_number'))

    op.drop_table('watch_entries')
