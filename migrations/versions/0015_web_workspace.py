"""web workspace: users, sessions, sign-in failures, the audit trail, tenants' names folded for search

Also which cases each delivery carried, so that a partner's past lists can be shown again.

The partner workspace (`evictwatch serve`) keeps its users, their sessions, the failed sign-ins
that throttle guessing and the audit of who viewed whose case in the store, so that every worker
of the web server shares them. Parties gain their name folded as a person searches for it (ASCII
capitals, a nickname read as its name); rows stored before are folded when the workspace starts.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    when = sqlmodel.sql.sqltypes.UTCDateTime
    op.create_table('web_users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', text(length=254), nullable=False),
    sa.Column('role', text(length=16), nullable=False),
    sa.Column('partner', text(length=200), nullable=True),
    sa.Column('password_hash', text(length=200), nullable=False),
    sa.Column('totp_secret', text(length=64), nullable=True),
    sa.Column('totp_last_step', sa.Integer(), nullable=True),
    sa.Column('disabled', sa.Boolean(), nullable=False),
    sa.Column('created_at', when(), nullable=False),
    sa.Column('password_changed_at', when(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('email'),
    sqlite_autoincrement=True
    )
    op.create_table('web_sessions',
    sa.Column('id_hash', text(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', when(), nullable=False),
    sa.Column('last_seen_at', when(), nullable=False),
    sa.Column('second_factor_done', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['web_users.id'], ),
    sa.PrimaryKeyConstraint('id_hash')
    )
    op.create_index(op.f('ix_web_sessions_user_id'), 'web_sessions', ['user_id'], unique=False)
    op.create_table('web_sign_in_failures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', when(), nullable=False),
    sa.Column('email', text(length=254), nullable=False),
    sa.Column('address', text(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_web_sign_in_failures_address'), 'web_sign_in_failures', ['address'], unique=False)
    op.create_index(op.f('ix_web_sign_in_failures_at'), 'web_sign_in_failures', ['at'], unique=False)
    op.create_index(op.f('ix_web_sign_in_failures_email'), 'web_sign_in_failures', ['email'], unique=False)
    op.create_table('delivery_cases',
    sa.Column('delivery_key', text(length=200), nullable=False),
    sa.Column('court_id', text(length=64), nullable=False),
    sa.Column('case_number', text(length=32), nullable=False),
    sa.PrimaryKeyConstraint('delivery_key', 'court_id', 'case_number')
    )
    op.create_index('ix_delivery_cases_case', 'delivery_cases', ['court_id', 'case_number'], unique=False)
    op.create_table('web_audit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', when(), nullable=False),
    sa.Column('user_email', text(length=254), nullable=False),
    sa.Column('action', text(length=32), nullable=False),
    sa.Column('court_id', text(length=64), nullable=True),
    sa.Column('case_number', text(length=32), nullable=True),
    sa.Column('detail', text(length=200), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sqlite_autoincrement=True
    )
    op.create_index(op.f('ix_web_audit_at'), 'web_audit', ['at'], unique=False)
    op.create_index(op.f('ix_web_audit_user_email'), 'web_audit', ['user_email'], unique=False)
    with op.batch_alter_table('parties', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_fold', text(length=120), nullable=True))
        batch_op.add_column(sa.Column('first_fold', text(length=120), nullable=True))
        batch_op.create_index(batch_op.f('ix_parties_last_fold'), ['last_fold'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('parties', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_parties_last_fold'))
        batch_op.drop_column('first_fold')
        batch_op.drop_column('last_fold')
    op.drop_index(op.f('ix_web_audit_user_email'), table_name='web_audit')
    op.drop_index(op.f('ix_web_audit_at'), table_name='web_audit')
    op.drop_table('web_audit')
    op.drop_index('ix_delivery_cases_case', table_name='delivery_cases')
    op.drop_table('delivery_cases')
    op.drop_index(op.f('ix_web_sign_in_failures_email'), table_name='web_sign_in_failures')
    op.drop_index(op.f('ix_web_sign_in_failures_at'), table_name='web_sign_in_failures')
    op.drop_index(op.f('ix_web_sign_in_failures_address'), table_name='web_sign_in_failures')
    op.drop_table('web_sign_in_failures')
    op.drop_index(op.f('ix_web_sessions_user_id'), table_name='web_sessions')
    op.drop_table('web_sessions')
    op.drop_table('web_users')
