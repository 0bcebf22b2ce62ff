"""Platform: members, technology list, partner needs, inquiries, city-to-city activities,
Environment Week events, registrations and 1:1 meetings.

Revision ID: 0008
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from jcm.db import UtcDateTime

revision = "0008"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "platform_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("contact_name", sa.String(length=200), nullable=False),
        sa.Column("contact_email", sa.String(length=200), nullable=False),
        sa.Column("seminars", sa.JSON(), nullable=False),
        sa.Column("task_forces", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_platform_member_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_platform_member")),
        sa.UniqueConstraint("organisation_id", name=op.f("uq_platform_member_organisation_id")),
    )
    op.create_table(
        "platform_technology",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("sector", sa.String(length=40), nullable=False),
        sa.Column("technology_code", sa.String(length=40), nullable=False),
        sa.Column("name_en", sa.String(length=300), nullable=False),
        sa.Column("name_ja", sa.String(length=300), nullable=False),
        sa.Column("description_en", sa.Text(), nullable=False),
        sa.Column("description_ja", sa.Text(), nullable=False),
        sa.Column("performance_en", sa.Text(), nullable=False),
        sa.Column("performance_ja", sa.Text(), nullable=False),
        sa.Column("references_en", sa.Text(), nullable=False),
        sa.Column("references_ja", sa.Text(), nullable=False),
        sa.Column("co2_reduction_t_per_year", sa.Integer(), nullable=False),
        sa.Column("price_min_jpy", sa.BigInteger(), nullable=True),
        sa.Column("price_max_jpy", sa.BigInteger(), nullable=True),
        sa.Column("capacity_min", sa.Float(), nullable=True),
        sa.Column("capacity_max", sa.Float(), nullable=True),
        sa.Column("capacity_unit", sa.String(length=20), nullable=False),
        sa.Column("countries", sa.JSON(), nullable=False),
        sa.Column("climates", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["platform_member.id"],
            name=op.f("fk_platform_technology_member_id_platform_member"),
        ),
        sa.ForeignKeyConstraint(
            ["technology_code"],
            ["technology.code"],
            name=op.f("fk_platform_technology_technology_code_technology"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_platform_technology")),
        sa.UniqueConstraint("key", name=op.f("uq_platform_technology_key")),
    )
    op.create_index(
        op.f("ix_platform_technology_member_id"), "platform_technology", ["member_id"], unique=False
    )
    op.create_index(
        op.f("ix_platform_technology_sector"), "platform_technology", ["sector"], unique=False
    )
    op.create_index(
        op.f("ix_platform_technology_status"), "platform_technology", ["status"], unique=False
    )
    op.create_table(
        "platform_need",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("requester_id", sa.Integer(), nullable=False),
        sa.Column("requester_kind", sa.String(length=20), nullable=False),
        sa.Column("country_iso3", sa.String(length=3), nullable=False),
        sa.Column("sector", sa.String(length=40), nullable=False),
        sa.Column("title_en", sa.String(length=300), nullable=False),
        sa.Column("title_ja", sa.String(length=300), nullable=False),
        sa.Column("problem_en", sa.Text(), nullable=False),
        sa.Column("problem_ja", sa.Text(), nullable=False),
        sa.Column("scale", sa.Float(), nullable=True),
        sa.Column("scale_unit", sa.String(length=20), nullable=False),
        sa.Column("budget_jpy", sa.BigInteger(), nullable=True),
        sa.Column("location_en", sa.String(length=200), nullable=False),
        sa.Column("location_ja", sa.String(length=200), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("technology_id", sa.Integer(), nullable=True),
        sa.Column("project_ref", sa.String(length=5), nullable=True),
        sa.Column("application_ref", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["country_iso3"], ["country.iso3"], name=op.f("fk_platform_need_country_iso3_country")
        ),
        sa.ForeignKeyConstraint(
            ["requester_id"],
            ["organisation.id"],
            name=op.f("fk_platform_need_requester_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["technology_id"],
            ["platform_technology.id"],
            name=op.f("fk_platform_need_technology_id_platform_technology"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_platform_need")),
        sa.UniqueConstraint("key", name=op.f("uq_platform_need_key")),
    )
    op.create_index(
        op.f("ix_platform_need_country_iso3"), "platform_need", ["country_iso3"], unique=False
    )
    op.create_index(
        op.f("ix_platform_need_requester_id"), "platform_need", ["requester_id"], unique=False
    )
    op.create_index(op.f("ix_platform_need_sector"), "platform_need", ["sector"], unique=False)
    op.create_table(
        "platform_inquiry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("requester", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("owner", sa.String(length=120), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["need_id"],
            ["platform_need.id"],
            name=op.f("fk_platform_inquiry_need_id_platform_need"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_platform_inquiry")),
    )
    op.create_table(
        "platform_inquiry_reply",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inquiry_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=120), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["inquiry_id"],
            ["platform_inquiry.id"],
            name=op.f("fk_platform_inquiry_reply_inquiry_id_platform_inquiry"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_platform_inquiry_reply")),
    )
    op.create_index(
        op.f("ix_platform_inquiry_reply_inquiry_id"),
        "platform_inquiry_reply",
        ["inquiry_id"],
        unique=False,
    )
    # ### end Alembic commands ###
    op.create_table(
        "platform_city_activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("city_pair_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("title_en", sa.String(length=300), nullable=False),
        sa.Column("title_ja", sa.String(length=300), nullable=False),
        sa.Column("project_ref", sa.String(length=5), nullable=True),
        sa.ForeignKeyConstraint(
            ["city_pair_id"],
            ["city_pair.id"],
            name=op.f("fk_platform_city_activity_city_pair_id_city_pair"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_platform_city_activity")),
    )
    op.create_index(
        op.f("ix_platform_city_activity_city_pair_id"),
        "platform_city_activity",
        ["city_pair_id"],
        unique=False,
    )
    op.create_table(
        "platform_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("title_en", sa.String(length=300), nullable=False),
        sa.Column("title_ja", sa.String(length=300), nullable=False),
        sa.Column("country_iso3", sa.String(length=3), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("slots", sa.Integer(), nullable=False),
        sa.Column("tables", sa.Integer(), nullable=False),
        sa.Column("first_slot", sa.String(length=5), nullable=False),
        sa.Column("slot_minutes", sa.Integer(), nullable=False),
        sa.Column("interpreters", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["country_iso3"], ["country.iso3"], name=op.f("fk_platform_event_country_iso3_country")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_platform_event")),
        sa.UniqueConstraint("key", name=op.f("uq_platform_event_key")),
    )
    op.create_table(
        "platform_registration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(length=20), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("unavailable", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["platform_event.id"],
            name=op.f("fk_platform_registration_event_id_platform_event"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_platform_registration_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_platform_registration")),
        sa.UniqueConstraint(
            "event_id",
            "organisation_id",
            name=op.f("uq_platform_registration_event_id_organisation_id"),
        ),
    )
    op.create_index(
        op.f("ix_platform_registration_event_id"),
        "platform_registration",
        ["event_id"],
        unique=False,
    )
    op.create_table(
        "platform_meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("requester_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("requester_rank", sa.Integer(), nullable=True),
        sa.Column("target_rank", sa.Integer(), nullable=True),
        sa.Column("interpreter_language", sa.String(length=10), nullable=True),
        sa.Column("slot", sa.Integer(), nullable=True),
        sa.Column("table_no", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=True),
        sa.Column("project_ref", sa.String(length=5), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["platform_event.id"],
            name=op.f("fk_platform_meeting_event_id_platform_event"),
        ),
        sa.ForeignKeyConstraint(
            ["need_id"],
            ["platform_need.id"],
            name=op.f("fk_platform_meeting_need_id_platform_need"),
        ),
        sa.ForeignKeyConstraint(
            ["requester_id"],
            ["platform_registration.id"],
            name=op.f("fk_platform_meeting_requester_id_platform_registration"),
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["platform_registration.id"],
            name=op.f("fk_platform_meeting_target_id_platform_registration"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_platform_meeting")),
    )
    op.create_index(
        op.f("ix_platform_meeting_event_id"), "platform_meeting", ["event_id"], unique=False
    )


def downgrade() -> None:
    op.drop_table("platform_meeting")
    op.drop_table("platform_registration")
    op.drop_table("platform_event")
    op.drop_table("platform_city_activity")
    op.drop_table("platform_inquiry_reply")
    op.drop_table("platform_inquiry")
    op.drop_table("platform_need")
    op.drop_table("platform_technology")
    op.drop_table("platform_member")
