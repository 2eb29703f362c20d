"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('people',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('role', sa.Enum('teacher', 'mentor', 'coach', 'leader', name='role', native_enum=False, length=20), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('career_stage', sa.Enum('new', 'early', 'experienced', name='careerstage', native_enum=False, length=20), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('mentor_id', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['mentor_id'], ['people.id'], name=op.f('fk_people_mentor_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_people')),
    sa.UniqueConstraint('email', name=op.f('uq_people_email'))
    )
    op.create_table('protocols',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('builtin', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_protocols')),
    sa.UniqueConstraint('slug', name=op.f('uq_protocols_slug'))
    )
    op.create_table('protocol_versions',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('protocol_id', sa.String(length=36), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('document', sa.JSON(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['protocol_id'], ['protocols.id'], name=op.f('fk_protocol_versions_protocol_id_protocols'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_protocol_versions')),
    sa.UniqueConstraint('protocol_id', 'number', name=op.f('uq_protocol_versions_protocol_id'))
    )
    op.create_table('cycles',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('teacher_id', sa.String(length=36), nullable=False),
    sa.Column('observer_id', sa.String(length=36), nullable=True),
    sa.Column('protocol_version_id', sa.String(length=36), nullable=False),
    sa.Column('stage', sa.Enum('pre_conference', 'observation', 'post_conference', 'reflection', 'closed', name='cyclestage', native_enum=False, length=20), nullable=False),
    sa.Column('focus', sa.Text(), nullable=False),
    sa.Column('evidence_to_collect', sa.Text(), nullable=False),
    sa.Column('planned_date', sa.Date(), nullable=True),
    sa.Column('post_conference_notes', sa.Text(), nullable=False),
    sa.Column('reflection', sa.Text(), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(), nullable=True),
    sa.Column('pre_conference_at', sa.DateTime(), nullable=True),
    sa.Column('observation_at', sa.DateTime(), nullable=True),
    sa.Column('post_conference_at', sa.DateTime(), nullable=True),
    sa.Column('reflection_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['observer_id'], ['people.id'], name=op.f('fk_cycles_observer_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['protocol_version_id'], ['protocol_versions.id'], name=op.f('fk_cycles_protocol_version_id_protocol_versions'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['teacher_id'], ['people.id'], name=op.f('fk_cycles_teacher_id_people'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cycles'))
    )
    with op.batch_alter_table('cycles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cycles_teacher_id'), ['teacher_id'], unique=False)

    op.create_table('protocol_items',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('version_id', sa.String(length=36), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('section', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('rubric', 'lookfor', 'tally', 'timer', 'interval', 'prompt', name='itemkind', native_enum=False, length=20), nullable=False),
    sa.Column('label', sa.String(length=500), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('config', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['protocol_versions.id'], name=op.f('fk_protocol_items_version_id_protocol_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_protocol_items')),
    sa.UniqueConstraint('version_id', 'key', name=op.f('uq_protocol_items_version_id'))
    )
    op.create_table('feedback_items',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('cycle_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.Enum('glow', 'grow', 'next_step', name='feedbackkind', native_enum=False, length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycles.id'], name=op.f('fk_feedback_items_cycle_id_cycles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_items'))
    )
    with op.batch_alter_table('feedback_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_items_cycle_id'), ['cycle_id'], unique=False)

    op.create_table('goals',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('teacher_id', sa.String(length=36), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('open', 'met', 'partly_met', 'not_yet', name='goalstatus', native_enum=False, length=20), nullable=False),
    sa.Column('set_in_cycle_id', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['set_in_cycle_id'], ['cycles.id'], name=op.f('fk_goals_set_in_cycle_id_cycles'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['teacher_id'], ['people.id'], name=op.f('fk_goals_teacher_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goals'))
    )
    with op.batch_alter_table('goals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goals_teacher_id'), ['teacher_id'], unique=False)

    op.create_table('observations',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('cycle_id', sa.String(length=36), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('grade', sa.String(length=50), nullable=False),
    sa.Column('room', sa.String(length=50), nullable=False),
    sa.Column('students', sa.Integer(), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('duration_ms', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycles.id'], name=op.f('fk_observations_cycle_id_cycles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observations'))
    )
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_observations_cycle_id'), ['cycle_id'], unique=False)

    op.create_table('ratings',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('cycle_id', sa.String(length=36), nullable=False),
    sa.Column('item_id', sa.String(length=36), nullable=False),
    sa.Column('level', sa.Integer(), nullable=True),
    sa.Column('not_observed', sa.Boolean(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycles.id'], name=op.f('fk_ratings_cycle_id_cycles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['protocol_items.id'], name=op.f('fk_ratings_item_id_protocol_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ratings')),
    sa.UniqueConstraint('cycle_id', 'item_id', name=op.f('uq_ratings_cycle_id'))
    )
    op.create_table('goal_cycles',
    sa.Column('goal_id', sa.String(length=36), nullable=False),
    sa.Column('cycle_id', sa.String(length=36), nullable=False),
    sa.Column('status', sa.Enum('open', 'met', 'partly_met', 'not_yet', name='goalstatus', native_enum=False, length=20), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycles.id'], name=op.f('fk_goal_cycles_cycle_id_cycles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['goal_id'], ['goals.id'], name=op.f('fk_goal_cycles_goal_id_goals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('goal_id', 'cycle_id', name=op.f('pk_goal_cycles'))
    )
    with op.batch_alter_table('goal_cycles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goal_cycles_cycle_id'), ['cycle_id'], unique=False)

    op.create_table('interval_records',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('observation_id', sa.String(length=36), nullable=False),
    sa.Column('item_id', sa.String(length=36), nullable=False),
    sa.Column('interval_index', sa.Integer(), nullable=False),
    sa.Column('codes', sa.JSON(), nullable=False),
    sa.Column('missed', sa.Boolean(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['protocol_items.id'], name=op.f('fk_interval_records_item_id_protocol_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['observation_id'], ['observations.id'], name=op.f('fk_interval_records_observation_id_observations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interval_records')),
    sa.UniqueConstraint('observation_id', 'item_id', 'interval_index', name=op.f('uq_interval_records_observation_id'))
    )
    op.create_table('item_responses',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('observation_id', sa.String(length=36), nullable=False),
    sa.Column('item_id', sa.String(length=36), nullable=False),
    sa.Column('checked', sa.Boolean(), nullable=True),
    sa.Column('count', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['protocol_items.id'], name=op.f('fk_item_responses_item_id_protocol_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['observation_id'], ['observations.id'], name=op.f('fk_item_responses_observation_id_observations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_item_responses')),
    sa.UniqueConstraint('observation_id', 'item_id', name=op.f('uq_item_responses_observation_id'))
    )
    op.create_table('note_drafts',
    sa.Column('observation_id', sa.String(length=36), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('wall_time', sa.DateTime(), nullable=False),
    sa.Column('elapsed_ms', sa.Integer(), nullable=False),
    sa.Column('item_ids', sa.JSON(), nullable=False),
    sa.Column('saved_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['observation_id'], ['observations.id'], name=op.f('fk_note_drafts_observation_id_observations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('observation_id', name=op.f('pk_note_drafts'))
    )
    op.create_table('notes',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('observation_id', sa.String(length=36), nullable=False),
    sa.Column('wall_time', sa.DateTime(), nullable=False),
    sa.Column('elapsed_ms', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['observation_id'], ['observations.id'], name=op.f('fk_notes_observation_id_observations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notes'))
    )
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.create_index('ix_notes_observation_elapsed', ['observation_id', 'elapsed_ms'], unique=False)

    op.create_table('pauses',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('observation_id', sa.String(length=36), nullable=False),
    sa.Column('paused_ms', sa.Integer(), nullable=False),
    sa.Column('paused_at', sa.DateTime(), nullable=False),
    sa.Column('resumed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['observation_id'], ['observations.id'], name=op.f('fk_pauses_observation_id_observations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pauses'))
    )
    with op.batch_alter_table('pauses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pauses_observation_id'), ['observation_id'], unique=False)

    op.create_table('timer_runs',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('observation_id', sa.String(length=36), nullable=False),
    sa.Column('item_id', sa.String(length=36), nullable=False),
    sa.Column('started_ms', sa.Integer(), nullable=False),
    sa.Column('duration_ms', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['protocol_items.id'], name=op.f('fk_timer_runs_item_id_protocol_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['observation_id'], ['observations.id'], name=op.f('fk_timer_runs_observation_id_observations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_timer_runs'))
    )
    with op.batch_alter_table('timer_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_timer_runs_observation_id'), ['observation_id'], unique=False)

    op.create_table('note_tags',
    sa.Column('note_id', sa.String(length=36), nullable=False),
    sa.Column('item_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['protocol_items.id'], name=op.f('fk_note_tags_item_id_protocol_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['note_id'], ['notes.id'], name=op.f('fk_note_tags_note_id_notes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('note_id', 'item_id', name=op.f('pk_note_tags'))
    )
    with op.batch_alter_table('note_tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_note_tags_item_id'), ['item_id'], unique=False)

    op.create_table('rating_evidence',
    sa.Column('rating_id', sa.String(length=36), nullable=False),
    sa.Column('note_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['note_id'], ['notes.id'], name=op.f('fk_rating_evidence_note_id_notes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rating_id'], ['ratings.id'], name=op.f('fk_rating_evidence_rating_id_ratings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('rating_id', 'note_id', name=op.f('pk_rating_evidence'))
    )
    with op.batch_alter_table('rating_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rating_evidence_note_id'), ['note_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('rating_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rating_evidence_note_id'))

    op.drop_table('rating_evidence')
    with op.batch_alter_table('note_tags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_note_tags_item_id'))

    op.drop_table('note_tags')
    with op.batch_alter_table('timer_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_timer_runs_observation_id'))

    op.drop_table('timer_runs')
    with op.batch_alter_table('pauses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pauses_observation_id'))

    op.drop_table('pauses')
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.drop_index('ix_notes_observation_elapsed')

    op.drop_table('notes')
    op.drop_table('note_drafts')
    op.drop_table('item_responses')
    op.drop_table('interval_records')
    with op.batch_alter_table('goal_cycles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_goal_cycles_cycle_id'))

    op.drop_table('goal_cycles')
    op.drop_table('ratings')
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_observations_cycle_id'))

    op.drop_table('observations')
    with op.batch_alter_table('goals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_goals_teacher_id'))

    op.drop_table('goals')
    with op.batch_alter_table('feedback_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_items_cycle_id'))

    op.drop_table('feedback_items')
    op.drop_table('protocol_items')
    with op.batch_alter_table('cycles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cycles_teacher_id'))

    op.drop_table('cycles')
    op.drop_table('protocol_versions')
    op.drop_table('protocols')
    op.drop_table('people')
