"""Addresses of the monitoring desk (no Django import): the canonical form of a URL, and the
check that a host may be fetched at all.

Canonical: courlan's normalisation (lower-case scheme and host, default port dropped, query keys
sorted, fragment dropped), then every tracking parameter removed (``utm_*``, ``fbclid``, ``gclid``
…), so the copies of one article shared with different campaign tags are one mention. courlan's
own ``strict`` mode is not used: it keeps only a short list of query keys and would merge distinct
articles whose address carries their id in another key (``?newsid=123``).

Safety: a pasted link must not reach inside the office's network, so a host whose address (after
DNS resolution, every address it resolves to) is loopback, private, link-local, multicast or
reserved is refused unless it is named in the allow-list.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import courlan

__all__ = ["AddressError", "canonical_url", "check_host", "resolve", "site_of"]

_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "hsa_", "_hs")
_TRACKING_KEYS = {
    "fbclid",
    "gclid",
    "dclid",
    "gclsrc",
    "msclkid",
    "yclid",
    "igshid",
    "twclid",
    "ttclid",
    "mibextid",
    "zarsrc",
    "gidzl",
    "_ga",
    "_gl",
    "ref",
    "ref_src",
    "ref_url",
    "cmpid",
    "icid",
    "spm",
    "share",
    "sharer",
    "s_cid",
    "trk",
    "mkt_tok",
    "vero_id",
    "wt_mc",
}


class AddressError(ValueError):
    """An address that cannot or may not be fetched; the message is Vietnamese."""


def _is_tracking(key: str) -> bool:
    key = key.lower()
    return key in _TRACKING_KEYS or key.startswith(_TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """The canonical form of an http(s) address; AddressError when it is not one."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise AddressError(f"Địa chỉ không hợp lệ (cần bắt đầu bằng http:// hoặc https://): {url}")
    try:
        normal = courlan.normalize_url(url, strict=False)
    except (ValueError, AttributeError) as exc:
        raise AddressError(f"Địa chỉ không hợp lệ: {url}") from exc
    parts = urlsplit(normal)
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)
    ]
    path = parts.path or "/"
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(sorted(query)), ""))


def site_of(url: str) -> str:
    """The host of an address without a leading ``www.`` (the site a mention appeared on)."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def _forbidden(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (AddressError when it resolves to none)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise AddressError(f"Không tìm thấy máy chủ '{host}' (lỗi phân giải tên miền).") from exc
    # IPv4 first: "localhost" answers ::1 too, and a server often listens on IPv4 only.
    addresses = sorted(dict.fromkeys(info[4][0] for info in infos), key=lambda a: ":" in a)
    if not addresses:
        raise AddressError(f"Không tìm thấy máy chủ '{host}'.")
    return addresses


def check_host(host: str, port: int, allowed: frozenset[str] | set[str] = frozenset()) -> str:
    """The address to connect to for ``host``: refused (AddressError) when any address it
    resolves to is internal and neither the host nor that address is allowed. The caller
    connects to the returned address itself, so a second DNS answer cannot swap it."""
    host = host.lower().strip("[]")
    addresses = resolve(host, port)
    if host in allowed:
        return addresses[0]
    for address in addresses:
        if _forbidden(address) and address not in allowed:
            raise AddressError(
                f"Không lấy tin từ địa chỉ nội bộ '{host}' ({address}): chỉ được phép khi máy chủ"
                " có trong LONGDAN_MONITOR_ALLOWED_PRIVATE_HOSTS."
            )
    return addresses[0]
