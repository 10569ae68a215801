"""The client's address, for the public pages' throttles.

By default only ``REMOTE_ADDR`` counts: ``X-Forwarded-For`` is written by whoever sends the
request, so trusting it would let anyone pick a fresh address for every submission. Behind reverse
proxies the operator sets ``LONGDAN_TRUSTED_PROXY_COUNT`` to the number of proxies in front of the
app; each appends the address it received the request from, so the client is that many entries
from the right of the header. Entries further left are the client's own words and are ignored.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

UNKNOWN = "unknown"


def _address(value: str) -> str | None:
    """A well-formed IPv4/IPv6 address (port and brackets dropped), or None."""
    value = value.strip()
    if value.startswith("["):  # "[2001:db8::1]:443"
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:  # "203.0.113.7:51234"
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    """The address the request came from, as far as this deployment can vouch for it."""
    remote = request.META.get("REMOTE_ADDR", "") or UNKNOWN
    trusted = max(int(getattr(settings, "LONGDAN_TRUSTED_PROXY_COUNT", 0) or 0), 0)
    if trusted == 0:
        return remote
    forwarded = [
        part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if len(forwarded) < trusted:
        # Fewer hops than proxies: the request skipped a proxy (or one is misconfigured), so the
        # header cannot be vouched for; the peer's own address is the safe answer.
        return remote
    return _address(forwarded[-trusted]) or remote
