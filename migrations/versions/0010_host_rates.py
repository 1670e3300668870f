"""host rates: the request rate each court host was last scraped at

A host that throttled evictwatch is scraped slower (the adaptive limiter halves its rate on
each throttle and raises it slowly on plain answers); where the rate ended is kept so the
next run starts there instead of meeting the throttle again at the configured rate.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('host_rates',
    sa.Column('host', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('configured_per_s', sa.Float(), nullable=False),
    sa.Column('learned_per_s', sa.Float(), nullable=False),
    sa.Column('lowest_per_s', sa.Float(), nullable=False),
    sa.Column('throttled', sa.Integer(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('host')
    )


def downgrade() -> None:
    op.drop_table('host_rates')
