"""An Atom feed of public changes, built from the audit log's public-safe events only.

Only four actions are published, and from each entry only whitelisted facts: the project
reference and status, or the quantity and serial range of credits. Never the actor, the
client address, request ids, accounts, beneficiaries or free text.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

from sqlalchemy import select
from sqlalchemy.orm import Session

from jcm.audit import AuditEntry

PUBLIC_ACTIONS = ("project.create", "project.transition", "registry.issue", "registry.retire")


def _facts(e: AuditEntry) -> tuple[str, str]:
    """(title, link) of one public event."""
    after: dict[str, Any] = e.after if isinstance(e.after, dict) else {}
    if e.action == "project.create":
        return f"Project {e.entity_id} registered on the platform", f"/projects/{e.entity_id}"
    if e.action == "project.transition":
        status = str(after.get("status", ""))
        return f"Project {e.entity_id} is now {status}", f"/projects/{e.entity_id}"
    moved = after.get("moved") or []
    first = moved[0].get("first_unit", "") if moved else ""
    last = moved[-1].get("last_unit", "") if moved else ""
    verb = "issued" if e.action == "registry.issue" else "retired"
    title = f"{int(after.get('quantity', 0)):,} credits {verb}"
    if first:
        title += f" ({first} – {last})"
    return title, "/registry"


def events(session: Session, limit: int = 100) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.action.in_(PUBLIC_ACTIONS))
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    )
    out = []
    for e in rows:
        title, link = _facts(e)
        out.append({"id": e.id, "at": e.at, "action": e.action, "title": title, "link": link})
    return out


def atom(items: list[dict[str, Any]], base_url: str, now: datetime) -> str:
    updated = (items[0]["at"] if items else now).isoformat()
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        "<title>JCM Platform: public changes</title>",
        f'<link rel="self" href="{escape(base_url)}/feed.atom"/>',
        f"<id>{escape(base_url)}/feed.atom</id>",
        f"<updated>{updated}</updated>",
    ]
    for it in items:
        parts += [
            "<entry>",
            f"<title>{escape(it['title'])}</title>",
            f'<link href="{escape(base_url + it["link"])}"/>',
            f"<id>{escape(base_url)}/feed/{it['id']}</id>",
            f"<updated>{it['at'].isoformat()}</updated>",
            f'<category term="{escape(it["action"])}"/>',
            "<author><name>JCM Platform</name></author>",
            "</entry>",
        ]
    parts.append("</feed>")
    return "\n".join(parts)
