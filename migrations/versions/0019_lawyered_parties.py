"""Tenants with an attorney of record, indexed by their case: the outreach summary counts them
over a year of a million cases from this handful of rows (pipeline.store.contact_summary)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07
"""
from alembic import op
import sqlalchemy as sa

# As pipeline.store.models.LAWYERED_DEFENDANT read at this revision (a migration keeps its own copy).
LAWYERED_DEFENDANT = ("role = 'defendant' AND attorney IS NOT NULL AND upper(trim(attorney)) NOT IN "
                      "('', 'NONE', 'PRO SE', 'SELF REPRESENTED', 'SELF-REPRESENTED')")


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_parties_lawyered', 'parties', ['case_id'], unique=False,
                    sqlite_where=sa.text(LAWYERED_DEFENDANT), postgresql_where=sa.text(LAWYERED_DEFENDANT))


def downgrade() -> None:
    op.drop_index('ix_parties_lawyered', table_name='parties')
