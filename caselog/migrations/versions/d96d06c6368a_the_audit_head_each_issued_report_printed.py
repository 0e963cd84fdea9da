"""the audit trail's head each issued report printed (an anchor of the trail)

Revision ID: d96d06c6368a
Revises: 0e3eeeccfca1
Create Date: 2026-12-10 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd96d06c6368a'
down_revision = '0e3eeeccfca1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('issued_report', schema=None) as batch_op:
        batch_op.add_column(sa.Column('audit_seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('audit_hash', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('issued_report', schema=None) as batch_op:
        batch_op.drop_column('audit_hash')
        batch_op.drop_column('audit_seq')
