"""Partners' attempts to reach a case's tenants (letters, calls, doors), for outreach measured

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    op.create_table('contact_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partner', text(length=200), nullable=False),
    sa.Column('court_id', text(length=64), nullable=False),
    sa.Column('case_number', text(length=32), nullable=False),
    sa.Column('contacted_on', sa.Date(), nullable=False),
    sa.Column('method', text(length=16), nullable=False),
    sa.Column('result', text(length=32), nullable=False),
    sa.Column('note', text(length=1000), nullable=True),
    sa.Column('recorded_by', text(length=254), nullable=False),
    sa.Column('recorded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('partner', 'court_id', 'case_number', 'contacted_on', 'method', 'result',
                        name='uq_contact_attempts_once'),
    sqlite_autoincrement=True
    )
    op.create_index('ix_contact_attempts_case', 'contact_attempts', ['court_id', 'case_number'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_contact_attempts_case', table_name='contact_attempts')
    op.drop_table('contact_attempts')
