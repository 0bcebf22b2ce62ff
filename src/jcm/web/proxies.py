"""The real client address behind reverse proxies, trusting only the configured ones.

A proxy's ``X-Forwarded-For`` is believed only when the connection comes from an address in
``JCM_TRUSTED_PROXIES`` (none by default): otherwise any caller could name any address and
so escape the per-client sign-in limit and forge the audit log's client field.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_trusted(spec: str) -> tuple[Network, ...]:
    """``"10.0.0.1, 192.168.0.0/16"`` as networks; raises ``ValueError`` naming a bad entry."""
    out: list[Network] = []
    for part in spec.replace(";", ",").split(","):
        item = part.strip()
        if not item:
            continue
        try:
            out.append(ipaddress.ip_network(item, strict=False))
        except ValueError as exc:
            raise ValueError(f"JCM_TRUSTED_PROXIES: {item!r} is not an address or network") from exc
    return tuple(out)


def _trusted(address: str, trusted: Iterable[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in trusted)


def client_address(
    peer: str | None, forwarded_for: str | None, trusted: tuple[Network, ...]
) -> str | None:
    """The connecting peer, or — when the peer is a trusted proxy — the last address in
    ``X-Forwarded-For`` that is not itself a trusted proxy (read right to left, so entries a
    client wrote before the first trusted hop are never believed)."""
    if peer is None or not trusted or not _trusted(peer, trusted):
        return peer
    hops = [h.strip() for h in (forwarded_for or "").split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, trusted):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer
    return hops[0] if hops else peer
