"""notifier: which alert facts each partner's digests carried

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('alert_claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partner', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('fact_key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('delivery_key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('court_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('case_number', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=48), nullable=False),
    sa.Column('fact_date', sa.Date(), nullable=True),
    sa.Column('claimed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('partner', 'fact_key', name='uq_alert_claims_partner_fact')
    )
    with op.batch_alter_table('alert_claims', schema=None) as batch_op:
        batch_op.create_index('ix_alert_claims_delivery', ['delivery_key'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('alert_claims', schema=None) as batch_op:
        batch_op.drop_index('ix_alert_claims_delivery')

    op.drop_table('alert_claims')
