"""decisions, reflective sessions and learning

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 19:28:14.530196
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate renders sqlmodel.sql.sqltypes.AutoString)
from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Shipped data, copied here (not imported) so this migration never changes.
TEMPLATES = (
    ("reflective-practice", "A dilemma worked through together (reflective practice).", (
        ("dilemma", "What is the dilemma or question we are holding?"),
        ("noticed", "What did we notice?"),
        ("next", "What next?"),
    )),
    ("continue-start-stop", "What needs to continue, start and stop? (co-production event)", (
        ("continue", "What needs to continue?"),
        ("start", "What needs to start?"),
        ("stop", "What needs to stop?"),
    )),
    ("minister", "The external messaging group's question.", (
        ("minister", "So what do we think now? If we bumped into a minister, what would we say?"),
    )),
)  # fmt: skip

COMPASS = (
    ("Redefined Purpose", (
        "Reframed challenge",
        "Widely publicised case for change and mission",
        "Disruptive narrative",
        "Explicit and intentional about shifting systems",
        "Emergence as a strategy",
        "Alignment of mission and approaches; 'being the change'",
    )),
    ("System Leadership", (
        "Embraces uncertainty and complexity",
        "Future and learning focused",
        "Emphasises soft power over hierarchy / command and control",
        "Values / mission-led individuals and teams",
        "Distributed and collaborative models; multiple organisations / sectors",
        "Adaptive leadership",
    )),
    ("Collective Accountability", (
        "Participative / representative / democratic governance",
        "Models for risk sharing across organisations and sectors and with communities",
        "New outcome measures and metrics; measuring what matters",
        "Radically reduced bureaucracy",
        "Transparency in decision making",
        "Multiple opportunities for community engagement and feedback and access to "
        "evaluation findings",
    )),
    ("Shared Power", (
        "Self identification for individuals and communities",
        "Community ownership; community wealth building",
        "Creative use of digital technology with an emphasis on equity of access",
        "Data and information sharing; making data usable",
        "New models of finance and investment vehicles",
        "New models of commissioning",
    )),
    ("Community Capability", (
        "Codesign and co-production",
        "Trauma informed and restorative practice",
        "Approaches to positive risk management",
        "Asset / strength based approaches",
        "Alternatives to services",
        "Prevention and / or recovery focus",
    )),
    ("Mission-based Teams", (
        "Role descriptions that focus on people and places (not services)",
        "Adoption of relational / human centred approaches",
        "Cross-sector roles and teams; colocation",
        "Well supported (development, resources) volunteering and peer-peer roles",
        "Multiple routes into employment",
        "Flexible and hybrid working",
    )),
)  # fmt: skip


def _load_shipped_data() -> None:
    bind = op.get_bind()
    template = sa.table("session_template", sa.column("id"), sa.column("name"),
                        sa.column("description"))  # fmt: skip
    prompt = sa.table("template_prompt", sa.column("template_id"), sa.column("position"),
                      sa.column("name"), sa.column("text"))  # fmt: skip
    for t_id, (name, description, prompts) in enumerate(TEMPLATES, start=1):
        bind.execute(template.insert().values(id=t_id, name=name, description=description))
        for pos, (p_name, text) in enumerate(prompts, start=1):
            bind.execute(
                prompt.insert().values(template_id=t_id, position=pos, name=p_name, text=text)
            )
    framework = sa.table("framework", sa.column("id"), sa.column("name"),
                         sa.column("description"))  # fmt: skip
    dimension = sa.table("framework_dimension", sa.column("id"), sa.column("framework_id"),
                         sa.column("position"), sa.column("name"))  # fmt: skip
    enabler = sa.table("framework_enabler", sa.column("dimension_id"), sa.column("position"),
                       sa.column("text"))  # fmt: skip
    bind.execute(framework.insert().values(
        id=1, name="Compass",
        description="GoodLives GM Compass: dimensions of system change, each with enablers.",
    ))  # fmt: skip
    for d_id, (name, enablers) in enumerate(COMPASS, start=1):
        bind.execute(dimension.insert().values(id=d_id, framework_id=1, position=d_id, name=name))
        for pos, text in enumerate(enablers, start=1):
            bind.execute(enabler.insert().values(dimension_id=d_id, position=pos, text=text))


def upgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table('decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('context', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('decision', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('rationale', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('options', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('enacted_on', sa.Date(), nullable=True),
    sa.Column('superseded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['superseded_by_id'], ['decision.id'], name=op.f('fk_decision_superseded_by_id_decision')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision'))
    )
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_decided_on'), ['decided_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_decision_status'), ['status'], unique=False)

    op.create_table('framework',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_framework'))
    )
    with op.batch_alter_table('framework', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_framework_name'), ['name'], unique=True)

    op.create_table('record_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_type', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('target_type', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_record_link'))
    )
    with op.batch_alter_table('record_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_record_link_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_record_link_owner_type'), ['owner_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_record_link_target_id'), ['target_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_record_link_target_type'), ['target_type'], unique=False)

    op.create_table('reflective_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('template', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('dilemma', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('follows_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['follows_id'], ['reflective_session.id'], name=op.f('fk_reflective_session_follows_id_reflective_session')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reflective_session'))
    )
    with op.batch_alter_table('reflective_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reflective_session_held_on'), ['held_on'], unique=False)

    op.create_table('session_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_template'))
    )
    with op.batch_alter_table('session_template', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_template_name'), ['name'], unique=True)

    op.create_table('standing_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('purpose', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('every', sa.Integer(), nullable=False),
    sa.Column('unit', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('first_meeting', sa.Date(), nullable=False),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_standing_group'))
    )
    with op.batch_alter_table('standing_group', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_standing_group_name'), ['name'], unique=True)

    op.create_table('action_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_on', sa.Date(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], name=op.f('fk_action_item_decision_id_decision')),
    sa.ForeignKeyConstraint(['owner_id'], ['person.id'], name=op.f('fk_action_item_owner_id_person')),
    sa.ForeignKeyConstraint(['session_id'], ['reflective_session.id'], name=op.f('fk_action_item_session_id_reflective_session')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_item'))
    )
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_item_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_item_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_item_status'), ['status'], unique=False)

    op.create_table('framework_dimension',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('framework_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['framework_id'], ['framework.id'], name=op.f('fk_framework_dimension_framework_id_framework')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_framework_dimension'))
    )
    with op.batch_alter_table('framework_dimension', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_framework_dimension_framework_id'), ['framework_id'], unique=False)

    op.create_table('insight',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('noted_on', sa.Date(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('prompt', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('visibility', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['reflective_session.id'], name=op.f('fk_insight_session_id_reflective_session')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_insight'))
    )
    with op.batch_alter_table('insight', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_insight_noted_on'), ['noted_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_insight_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_insight_visibility'), ['visibility'], unique=False)

    op.create_table('planned_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('arguments', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], name=op.f('fk_planned_change_decision_id_decision')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_planned_change'))
    )
    with op.batch_alter_table('planned_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_planned_change_decision_id'), ['decision_id'], unique=False)

    op.create_table('template_prompt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['template_id'], ['session_template.id'], name=op.f('fk_template_prompt_template_id_session_template')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_template_prompt'))
    )
    with op.batch_alter_table('template_prompt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_template_prompt_template_id'), ['template_id'], unique=False)

    op.create_table('framework_enabler',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dimension_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['dimension_id'], ['framework_dimension.id'], name=op.f('fk_framework_enabler_dimension_id_framework_dimension')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_framework_enabler'))
    )
    with op.batch_alter_table('framework_enabler', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_framework_enabler_dimension_id'), ['dimension_id'], unique=False)

    # ### end Alembic commands ###
    _load_shipped_data()


def downgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('framework_enabler', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_framework_enabler_dimension_id'))

    op.drop_table('framework_enabler')
    with op.batch_alter_table('template_prompt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_template_prompt_template_id'))

    op.drop_table('template_prompt')
    with op.batch_alter_table('planned_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_planned_change_decision_id'))

    op.drop_table('planned_change')
    with op.batch_alter_table('insight', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_insight_visibility'))
        batch_op.drop_index(batch_op.f('ix_insight_session_id'))
        batch_op.drop_index(batch_op.f('ix_insight_noted_on'))

    op.drop_table('insight')
    with op.batch_alter_table('framework_dimension', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_framework_dimension_framework_id'))

    op.drop_table('framework_dimension')
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_item_status'))
        batch_op.drop_index(batch_op.f('ix_action_item_owner_id'))
        batch_op.drop_index(batch_op.f('ix_action_item_due_on'))

    op.drop_table('action_item')
    with op.batch_alter_table('standing_group', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_standing_group_name'))

    op.drop_table('standing_group')
    with op.batch_alter_table('session_template', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_template_name'))

    op.drop_table('session_template')
    with op.batch_alter_table('reflective_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reflective_session_held_on'))

    op.drop_table('reflective_session')
    with op.batch_alter_table('record_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_record_link_target_type'))
        batch_op.drop_index(batch_op.f('ix_record_link_target_id'))
        batch_op.drop_index(batch_op.f('ix_record_link_owner_type'))
        batch_op.drop_index(batch_op.f('ix_record_link_owner_id'))

    op.drop_table('record_link')
    with op.batch_alter_table('framework', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_framework_name'))

    op.drop_table('framework')
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_status'))
        batch_op.drop_index(batch_op.f('ix_decision_decided_on'))

    op.drop_table('decision')
    # ### end Alembic commands ###
