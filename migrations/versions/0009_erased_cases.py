"""cases erased by law, whom each case was given to, recalls owed, purge counts

Virginia expunges dismissed and nonsuited unlawful detainers (Va. Code § 8.01-130.01): such a
case keeps only anonymous figures (erased_at, erased_reason; its number replaced by a token).
A closed case is looked up by number now and then (presence_checked_on) and one the portal no
longer has is erased too (missing_since, then vanished). case_recipients says which partner
was given which case, so that recalls (kept only until sent) reach them; purge_counts keeps
how many cases each purge removed, by reason.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('case_recipients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partner', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('court_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('case_number', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('first_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('partner', 'court_id', 'case_number', name='uq_case_recipients')
    )
    with op.batch_alter_table('case_recipients', schema=None) as batch_op:
        batch_op.create_index('ix_case_recipients_case', ['court_id', 'case_number'], unique=False)

    op.create_table('purge_counts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('cases', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('recalls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partner', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('court_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('case_number', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('owed_on', sa.Date(), nullable=False),
    sa.Column('delivery_key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('partner', 'court_id', 'case_number', name='uq_recalls')
    )
    with op.batch_alter_table('recalls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recalls_partner'), ['partner'], unique=False)

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('erased_reason', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
        batch_op.add_column(sa.Column('presence_checked_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('missing_since', sa.Date(), nullable=True))

    # Whom cases were given to before this revision, as far as the store knows: the alert facts
    # of digests that went out, or may have (a list's or docket sheet's cases left no trace).
    op.execute("INSERT INTO case_recipients (partner, court_id, case_number, first_at) "
               "SELECT c.partner, c.court_id, c.case_number, MIN(c.claimed_at) FROM alert_claims c "
               "JOIN deliveries d ON d.key = c.delivery_key WHERE d.state IN ('sent', 'sending', 'unknown') "
               "GROUP BY c.partner, c.court_id, c.case_number")



def downgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('missing_since')
        batch_op.drop_column('presence_checked_on')
        batch_op.drop_column('erased_reason')
        batch_op.drop_column('erased_at')

    with op.batch_alter_table('recalls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recalls_partner'))

    op.drop_table('recalls')
    op.drop_table('purge_counts')
    with op.batch_alter_table('case_recipients', schema=None) as batch_op:
        batch_op.drop_index('ix_case_recipients_case')

    op.drop_table('case_recipients')
