"""catalogue names in Russian, Mongolian and Korean; a folded search text per procedure

Revision ID: 5ebb0276ec41
Revises: 20e4f630bd87
Create Date: 2026-12-02 14:11:17.385602

English names stay where they were. Each procedure gets `search_text`, filled here from its
English name, short name and synonyms with the app's folding (caselog.folding), so that
procedures of an existing install are found as before.
"""
from alembic import op
import sqlalchemy as sa

from caselog.folding import search_text


# revision identifiers, used by Alembic.
revision = '5ebb0276ec41'
down_revision = '20e4f630bd87'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('specialty_name',
    sa.Column('specialty_id', sa.Integer(), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['specialty_id'], ['specialty.id'], name=op.f('fk_specialty_name_specialty_id_specialty'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('specialty_id', 'locale', name=op.f('pk_specialty_name'))
    )
    op.create_table('procedure_group_name',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['procedure_group.id'], name=op.f('fk_procedure_group_name_group_id_procedure_group'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('group_id', 'locale', name=op.f('pk_procedure_group_name'))
    )
    op.create_table('procedure_name',
    sa.Column('procedure_id', sa.Integer(), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('short_name', sa.String(length=60), nullable=True),
    sa.Column('synonyms', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['procedure_id'], ['procedure.id'], name=op.f('fk_procedure_name_procedure_id_procedure'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('procedure_id', 'locale', name=op.f('pk_procedure_name'))
    )
    with op.batch_alter_table('procedure', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_text', sa.Text(), nullable=False, server_default=''))

    procedure = sa.table(
        'procedure',
        sa.column('id', sa.Integer()),
        sa.column('name', sa.String()),
        sa.column('short_name', sa.String()),
        sa.column('synonyms', sa.Text()),
        sa.column('search_text', sa.Text()),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(procedure.c.id, procedure.c.name, procedure.c.short_name, procedure.c.synonyms)
    ).all()
    for row in rows:
        terms = [row.name, row.short_name, *(row.synonyms or '').splitlines()]
        connection.execute(
            procedure.update()
            .where(procedure.c.id == row.id)
            .values(search_text=search_text(terms))
        )


def downgrade():
    with op.batch_alter_table('procedure', schema=None) as batch_op:
        batch_op.drop_column('search_text')

    op.drop_table('procedure_name')
    op.drop_table('procedure_group_name')
    op.drop_table('specialty_name')
