"""watch lists: a street address's key

A watch list may give an address: only its house number and street name are kept
(`123 WASHINGTON`), to compare with the streets a court's portal shows (Odyssey's do).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('watch_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('street_key', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('watch_entries', schema=None) as batch_op:
        batch_op.drop_column('street_key')
