"""translations of program names and target labels; the language and facts of issued reports

Revision ID: 0e3eeeccfca1
Revises: 5ebb0276ec41
Create Date: 2026-12-02 14:12:43.501358

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = '0e3eeeccfca1'
down_revision = '5ebb0276ec41'
branch_labels = None
depends_on = None


def json_value():
    """JSON on SQLite, JSONB on PostgreSQL (caselog.models.types.JSONValue)."""
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade():
    with op.batch_alter_table('issued_report', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), server_default='en', nullable=False))
        batch_op.add_column(sa.Column('facts', json_value(), nullable=True))

    with op.batch_alter_table('program', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_translations', json_value(), server_default='{}', nullable=False))

    with op.batch_alter_table('target', schema=None) as batch_op:
        batch_op.add_column(sa.Column('label_translations', json_value(), server_default='{}', nullable=False))


def downgrade():
    with op.batch_alter_table('target', schema=None) as batch_op:
        batch_op.drop_column('label_translations')

    with op.batch_alter_table('program', schema=None) as batch_op:
        batch_op.drop_column('name_translations')

    with op.batch_alter_table('issued_report', schema=None) as batch_op:
        batch_op.drop_column('facts')
        batch_op.drop_column('language')
