"""JSON API: partners' tokens (only their hashes) and each token's requests per minute

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    when = sqlmodel.sql.sqltypes.UTCDateTime
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partner', text(length=200), nullable=False),
    sa.Column('token_hash', text(length=64), nullable=False),
    sa.Column('created_at', when(), nullable=False),
    sa.Column('revoked_at', when(), nullable=True),
    sa.Column('last_used_at', when(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash'),
    sqlite_autoincrement=True
    )
    op.create_index(op.f('ix_api_tokens_partner'), 'api_tokens', ['partner'], unique=False)
    op.create_table('api_calls',
    sa.Column('token_id', sa.Integer(), nullable=False),
    sa.Column('minute', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('token_id', 'minute')
    )


def downgrade() -> None:
    op.drop_table('api_calls')
    op.drop_index(op.f('ix_api_tokens_partner'), table_name='api_tokens')
    op.drop_table('api_tokens')
