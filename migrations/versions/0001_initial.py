"""initial schema: courts, cases, parties, hearings, judgments, raw pages, scrape runs

Revision ID: 0001
Revises: 
Create Date: 2026-11-27
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('courts',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('base_url', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('raw_pages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('court_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('url', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('method', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('request_key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('status', sa.Integer(), nullable=False),
    sa.Column('case_number', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('content_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('body_gz', sa.LargeBinary(), nullable=False),
    sa.Column('fetched_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('court_id', 'request_key', 'content_hash', name='uq_raw_pages_request_content')
    )
    with op.batch_alter_table('raw_pages', schema=None) as batch_op:
        batch_op.create_index('ix_raw_pages_case', ['court_id', 'case_number'], unique=False)

    op.create_table('scrape_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('court_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('started_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('finished_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('since', sa.Date(), nullable=False),
    sa.Column('until', sa.Date(), nullable=False),
    sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('result_pages', sa.Integer(), nullable=False),
    sa.Column('detail_pages', sa.Integer(), nullable=False),
    sa.Column('requests', sa.Integer(), nullable=False),
    sa.Column('retries', sa.Integer(), nullable=False),
    sa.Column('throttled', sa.Integer(), nullable=False),
    sa.Column('cases_seen', sa.Integer(), nullable=False),
    sa.Column('new_cases', sa.Integer(), nullable=False),
    sa.Column('updated_cases', sa.Integer(), nullable=False),
    sa.Column('unchanged_cases', sa.Integer(), nullable=False),
    sa.Column('bad_case_numbers', sa.Integer(), nullable=False),
    sa.Column('layout_errors', sa.Integer(), nullable=False),
    sa.Column('error_text', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('scrape_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scrape_runs_court_id'), ['court_id'], unique=False)

    op.create_table('cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('court_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('case_number', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('matter_key', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('filed_date', sa.Date(), nullable=False),
    sa.Column('case_type', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('debt_type', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('details_json', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('content_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('raw_page_id', sa.Integer(), nullable=True),
    sa.Column('first_seen_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('last_changed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['court_id'], ['courts.id'], ),
    sa.ForeignKeyConstraint(['raw_page_id'], ['raw_pages.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('court_id', 'case_number', name='uq_cases_court_number')
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_court_matter', ['court_id', 'matter_key'], unique=False)

    op.create_table('hearings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('time', sa.Time(), nullable=True),
    sa.Column('result', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('type', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('courtroom', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('hearings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hearings_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hearings_date'), ['date'], unique=False)

    op.create_table('judgments',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('judgment', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('principal_cents', sa.Integer(), nullable=True),
    sa.Column('costs_cents', sa.Integer(), nullable=True),
    sa.Column('attorney_fees_cents', sa.Integer(), nullable=True),
    sa.Column('other_amount_cents', sa.Integer(), nullable=True),
    sa.Column('interest_award', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('possession', sa.Boolean(), nullable=True),
    sa.Column('writ_issued_date', sa.Date(), nullable=True),
    sa.Column('writ_executed_date', sa.Date(), nullable=True),
    sa.Column('homestead_exemption_waived', sa.Boolean(), nullable=True),
    sa.Column('fifa_issued_date', sa.Date(), nullable=True),
    sa.Column('satisfied', sa.Boolean(), nullable=True),
    sa.Column('satisfaction_filed_date', sa.Date(), nullable=True),
    sa.Column('other_awarded', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('further_case_information', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('case_id')
    )
    op.create_table('parties',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('dba', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('judgment', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('attorney', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('parties', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_parties_case_id'), ['case_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('parties', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_parties_case_id'))

    op.drop_table('parties')
    op.drop_table('judgments')
    with op.batch_alter_table('hearings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hearings_date'))
        batch_op.drop_index(batch_op.f('ix_hearings_case_id'))

    op.drop_table('hearings')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_court_matter')

    op.drop_table('cases')
    with op.batch_alter_table('scrape_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scrape_runs_court_id'))

    op.drop_table('scrape_runs')
    with op.batch_alter_table('raw_pages', schema=None) as batch_op:
        batch_op.drop_index('ix_raw_pages_case')

    op.drop_table('raw_pages')
    op.drop_table('courts')
