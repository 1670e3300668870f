"""The workspace at a million cases: search by landlord spelling and ZIP code from indexes; the
first tenant's ZIP code on the case, and an index the dashboard counts from without the table

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

DASHBOARD = ['kind', 'filed_date', 'court_id', 'erased_at', 'status', 'landlord_key', 'zip5', 'days_to_first_hearing']


def upgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('zip5', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True))
    op.execute("UPDATE cases SET zip5 = (SELECT min(parties.zip5) FROM parties WHERE parties.case_id = cases.id "
               "AND parties.role = 'defendant' AND parties.position = 0)")
    op.create_index('ix_cases_landlord_key', 'cases', ['landlord_key'], unique=False)
    op.create_index('ix_cases_dashboard', 'cases', DASHBOARD, unique=False)
    op.create_index('ix_parties_zip5', 'parties', ['zip5'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_parties_zip5', table_name='parties')
    op.drop_index('ix_cases_dashboard', table_name='cases')
    op.drop_index('ix_cases_landlord_key', table_name='cases')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('zip5')
