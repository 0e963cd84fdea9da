"""sign-ins that end, one-time password links, passwords chosen by others changed first

Existing sessions and remember cookies name no sign-in, so everyone signs in once more after
the upgrade.

Revision ID: 8d199c93c25e
Revises: d96d06c6368a
Create Date: 2026-12-02 15:15:28.501802

"""
from alembic import op
import sqlalchemy as sa

import caselog.models.types


# revision identifiers, used by Alembic.
revision = '8d199c93c25e'
down_revision = 'd96d06c6368a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('password_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('purpose', sa.Enum('welcome', 'reset', name='linkpurpose', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('created_at', caselog.models.types.UTCDateTime(), nullable=False),
    sa.Column('expires_at', caselog.models.types.UTCDateTime(), nullable=False),
    sa.Column('used_at', caselog.models.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_password_link_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_link')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_password_link_token_hash'))
    )
    with op.batch_alter_table('password_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_link_user_id'), ['user_id'], unique=False)

    op.create_table('sign_in',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('started_at', caselog.models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_sign_in_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_sign_in_token_hash'))
    )
    with op.batch_alter_table('sign_in', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')

    with op.batch_alter_table('sign_in', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_user_id'))

    op.drop_table('sign_in')
    with op.batch_alter_table('password_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_link_user_id'))

    op.drop_table('password_link')
