"""trend report: indexes for its week ranges

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

INDEXES = [
    ("ix_cases_filed_court_type", "cases", ["filed_date", "court_id", "case_type"]),
    ("ix_cases_judgment_date", "cases", ["judgment_date"]),
    ("ix_hearings_date_result", "hearings", ["date", "result_code"]),
    ("ix_judgments_writ_issued", "judgments", ["writ_issued_date"]),
    ("ix_judgments_writ_executed", "judgments", ["writ_executed_date"]),
]


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
