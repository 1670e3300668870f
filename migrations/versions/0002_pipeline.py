"""pipeline: normalized parties, lifecycle, landlords, case events

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('landlords',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('canonical_name', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('case_count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('landlord_aliases',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('landlord_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.ForeignKeyConstraint(['landlord_id'], ['landlords.id'], ),
    sa.PrimaryKeyConstraint('key')
    )
    with op.batch_alter_table('landlord_aliases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_landlord_aliases_landlord_id'), ['landlord_id'], unique=False)

    op.create_table('case_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('field', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('old_value', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('new_value', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('raw_page_id', sa.Integer(), nullable=True),
    sa.Column('seen_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['raw_page_id'], ['raw_pages.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_events_case_id'), ['case_id'], unique=False)

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
        batch_op.add_column(sa.Column('closed', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('continuances', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('first_hearing_default', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('any_default', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('days_to_first_hearing', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('judgment_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('days_judgment_to_writ', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('landlord_key', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True))
        batch_op.add_column(sa.Column('household_key', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True))
        batch_op.create_index(batch_op.f('ix_cases_household_key'), ['household_key'], unique=False)

    with op.batch_alter_table('hearings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('result_code', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))

    with op.batch_alter_table('judgments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('judgment_code', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))

    with op.batch_alter_table('parties', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
        batch_op.add_column(sa.Column('norm_name', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True))
        batch_op.add_column(sa.Column('last_name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True))
        batch_op.add_column(sa.Column('first_name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True))
        batch_op.add_column(sa.Column('middle_name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True))
        batch_op.add_column(sa.Column('suffix', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
        batch_op.add_column(sa.Column('trade_name', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True))
        batch_op.add_column(sa.Column('care_of', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True))
        batch_op.add_column(sa.Column('all_occupants', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('street', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
        batch_op.add_column(sa.Column('unit', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True))
        batch_op.add_column(sa.Column('city', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))
        batch_op.add_column(sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=True))
        batch_op.add_column(sa.Column('zip5', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True))

    with op.batch_alter_table('scrape_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mode', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
        batch_op.add_column(sa.Column('as_of', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('rechecked', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('unknown_values', sa.Integer(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('scrape_runs', schema=None) as batch_op:
        batch_op.drop_column('unknown_values')
        batch_op.drop_column('rechecked')
        batch_op.drop_column('as_of')
        batch_op.drop_column('mode')

    with op.batch_alter_table('parties', schema=None) as batch_op:
        batch_op.drop_column('zip5')
        batch_op.drop_column('state')
        batch_op.drop_column('city')
        batch_op.drop_column('unit')
        batch_op.drop_column('street')
        batch_op.drop_column('all_occupants')
        batch_op.drop_column('care_of')
        batch_op.drop_column('trade_name')
        batch_op.drop_column('suffix')
        batch_op.drop_column('middle_name')
        batch_op.drop_column('first_name')
        batch_op.drop_column('last_name')
        batch_op.drop_column('norm_name')
        batch_op.drop_column('kind')

    with op.batch_alter_table('judgments', schema=None) as batch_op:
        batch_op.drop_column('judgment_code')

    with op.batch_alter_table('hearings', schema=None) as batch_op:
        batch_op.drop_column('result_code')

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_household_key'))
        batch_op.drop_column('household_key')
        batch_op.drop_column('landlord_key')
        batch_op.drop_column('days_judgment_to_writ')
        batch_op.drop_column('judgment_date')
        batch_op.drop_column('days_to_first_hearing')
        batch_op.drop_column('any_default')
        batch_op.drop_column('first_hearing_default')
        batch_op.drop_column('continuances')
        batch_op.drop_column('closed')
        batch_op.drop_column('status')

    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_events_case_id'))

    op.drop_table('case_events')
    with op.batch_alter_table('landlord_aliases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_landlord_aliases_landlord_id'))

    op.drop_table('landlord_aliases')
    op.drop_table('landlords')
