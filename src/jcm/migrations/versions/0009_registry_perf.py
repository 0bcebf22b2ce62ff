"""audit entries are chained at commit on PostgreSQL: a deferred trigger appends them

A writer inserts its entry's content into ``audit_pending`` without any lock; a deferred
constraint trigger, run by PostgreSQL while committing, locks the audit head, hashes
(previous hash + canonical content), appends to ``audit_log``, moves the head and removes
the pending row. The head lock is held from that moment to the end of the commit only,
with no client round trip in between. SQLite is unchanged (its writers are serialised).

Revision ID: 0009
Revises: 0003
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = """
CREATE TABLE audit_pending (
    id BIGSERIAL PRIMARY KEY,
    at TIMESTAMP WITH TIME ZONE NOT NULL,
    actor VARCHAR(120) NOT NULL,
    action VARCHAR(80) NOT NULL,
    entity VARCHAR(80) NOT NULL,
    entity_id VARCHAR(120) NOT NULL,
    before JSON,
    after JSON,
    request_id VARCHAR(64),
    client VARCHAR(64),
    content TEXT NOT NULL
)
"""

FUNCTION = """
CREATE OR REPLACE FUNCTION jcm_audit_append() RETURNS trigger AS $$
DECLARE
    prev TEXT;
    new_hash TEXT;
    new_id BIGINT;
BEGIN
    SELECT last_hash INTO prev FROM audit_head WHERE id = 1 FOR UPDATE;
    IF NOT FOUND THEN
        INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, NULL, repeat('0', 64))
            ON CONFLICT (id) DO NOTHING;
        SELECT last_hash INTO prev FROM audit_head WHERE id = 1 FOR UPDATE;
    END IF;
    new_hash := encode(sha256(convert_to(prev || NEW.content, 'UTF8')), 'hex');
    INSERT INTO audit_log (at, actor, action, entity, entity_id, before, after, request_id,
                           client, prev_hash, hash)
        VALUES (NEW.at, NEW.actor, NEW.action, NEW.entity, NEW.entity_id, NEW.before, NEW.after,
                NEW.request_id, NEW.client, prev, new_hash)
        RETURNING id INTO new_id;
    UPDATE audit_head SET last_id = new_id, last_hash = new_hash WHERE id = 1;
    DELETE FROM audit_pending WHERE id = NEW.id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""

TRIGGER = """
CREATE CONSTRAINT TRIGGER jcm_audit_pending_append AFTER INSERT ON audit_pending
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION jcm_audit_append()
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(TABLE)
    op.execute(FUNCTION)
    op.execute(TRIGGER)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TABLE IF EXISTS audit_pending")
    op.execute("DROP FUNCTION IF EXISTS jcm_audit_append()")
