"""staff console: campaigns, staff threads, outbox buttons, roster links

Revision ID: 0004
Revises: 0003

"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "campaigns",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("audience", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("translations", sa.JSON(), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("requires_ack", sa.Boolean(), nullable=False),
        sa.Column("drill", sa.Boolean(), nullable=False),
        sa.Column("send_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.String(length=50), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("report_channel", sa.String(length=50), nullable=True),
        sa.Column("report_ts", sa.String(length=50), nullable=True),
        sa.Column("report_digest", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_campaigns_queued_at", "campaigns", ["queued_at"])
    op.create_table(
        "campaign_members",
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("participant_key", sa.String(length=100), nullable=False),
        sa.Column("response", sa.String(length=20), nullable=True),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("alerted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaigns.id"]),
        sa.PrimaryKeyConstraint("campaign_id", "participant_key"),
    )
    op.create_table(
        "staff_threads",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("participant_key", sa.String(length=100), nullable=False),
        sa.Column("channel", sa.String(length=50), nullable=True),
        sa.Column("ts", sa.String(length=50), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_activity_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_staff_threads_participant_key", "staff_threads", ["participant_key"])
    op.create_index("ix_staff_threads_ts", "staff_threads", ["ts"])
    op.create_table(
        "thread_messages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("author", sa.String(length=50), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("slack_ts", sa.String(length=50), nullable=True),
        sa.ForeignKeyConstraint(["thread_id"], ["staff_threads.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("slack_ts"),
    )
    op.create_index("ix_thread_messages_thread_id", "thread_messages", ["thread_id"])
    op.create_index("ix_thread_messages_posted_at", "thread_messages", ["posted_at"])
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("buttons", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("campaign_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_outbox_campaign_id", ["campaign_id"], unique=False)
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("link_hash", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint("uq_participants_link_hash", ["link_hash"])


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_constraint("uq_participants_link_hash", type_="unique")
        batch_op.drop_column("link_hash")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_campaign_id")
        batch_op.drop_column("campaign_id")
        batch_op.drop_column("buttons")
    op.drop_table("thread_messages")
    op.drop_table("staff_threads")
    op.drop_table("campaign_members")
    op.drop_table("campaigns")
