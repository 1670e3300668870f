"""store keys: the key of the hash that stands for an erased case

A case the law had already erased when evictwatch first saw it is kept only as anonymous
figures, under a keyed hash of its court and number (never the number), and so is a case
erased later: a later sighting of either is recognised and not counted twice. The key is
made on first use.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('store_keys',
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('secret', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )


def downgrade() -> None:
    op.drop_table('store_keys')
