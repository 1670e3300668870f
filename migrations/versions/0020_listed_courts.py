"""The courts a portal lists, as a court entry with `all: true` read them (weekly), the work a
host's daily budget deferred to a later run, and the hearing dates each scrape walked

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-08
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    op.create_table('listed_courts',
    sa.Column('entry_id', text(length=64), nullable=False),
    sa.Column('code', text(length=16), nullable=False),
    sa.Column('name', text(length=200), nullable=False),
    sa.Column('first_listed', sa.Date(), nullable=False),
    sa.Column('last_listed', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('entry_id', 'code')
    )
    op.create_table('deferred_work',
    sa.Column('court_id', text(length=64), nullable=False),
    sa.Column('key', text(length=32), nullable=False),
    sa.Column('kind', text(length=8), nullable=False),
    sa.Column('worth', sa.Integer(), nullable=False),
    sa.Column('cost', sa.Integer(), nullable=False),
    sa.Column('due_since', sa.Date(), nullable=False),
    sa.Column('reason', text(length=64), nullable=True),
    sa.PrimaryKeyConstraint('court_id', 'key')
    )
    with op.batch_alter_table('scrape_runs') as batch:
        batch.add_column(sa.Column('days_walked', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('scrape_runs') as batch:
        batch.drop_column('days_walked')
    op.drop_table('deferred_work')
    op.drop_table('listed_courts')
