"""court-agnostic core: a case's kind, a court's time zone, longer portal codes

A case's kind (eviction or other) is now what its court system's adapter says, stored beside
the raw Case Type; the report, lists and alerts select by it. A court's time zone is stored
with it, so a rebuild dates hearings as the scrape did. Portal codes grow past Virginia's
three-digit FIPS (an Odyssey location label). Hearings keep their judicial officer where the
portal shows one.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("courts") as batch:
        batch.alter_column("code", existing_type=sa.String(16), type_=sa.String(100), existing_nullable=False)
        batch.add_column(sa.Column("timezone", sa.String(64), nullable=True))
    op.add_column("cases", sa.Column("kind", sa.String(16), nullable=False, server_default="other"))
    op.add_column("hearings", sa.Column("judicial_officer", sa.String(200), nullable=True))
    # Before this revision the only court system was Virginia's GDC, whose evictions are the
    # cases typed exactly "Unlawful Detainer"; from here on each adapter decides.
    op.execute("UPDATE cases SET kind = 'eviction' WHERE case_type = 'Unlawful Detainer'")
    op.execute("UPDATE courts SET timezone = 'America/New_York' WHERE source = 'va-gdc'")
    op.drop_index("ix_cases_filed_court_type", table_name="cases")
    op.create_index("ix_cases_filed_court_kind", "cases", ["filed_date", "court_id", "kind"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_cases_filed_court_kind", table_name="cases")
    op.create_index("ix_cases_filed_court_type", "cases", ["filed_date", "court_id", "case_type"], unique=False)
    with op.batch_alter_table("hearings") as batch:
        batch.drop_column("judicial_officer")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("kind")
    with op.batch_alter_table("courts") as batch:
        batch.drop_column("timezone")
        batch.alter_column("code", existing_type=sa.String(100), type_=sa.String(16), existing_nullable=False)
