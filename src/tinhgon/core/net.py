"""The client's address, also behind the reverse proxies the deployment trusts.

``TINHGON_TRUSTED_PROXIES`` lists the addresses or networks of those proxies
(``10.0.0.1,192.168.0.0/24``; empty by default). When the peer (``REMOTE_ADDR``)
is one of them, the client is the right-most ``X-Forwarded-For`` entry that is
not itself a trusted proxy: entries further left were written by the client and
prove nothing. Any other peer is the client, whatever headers it sends.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def _networks(values: tuple[str, ...]) -> tuple[Network, ...]:
    out = []
    for value in values:
        try:
            out.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as exc:
            raise ValueError(f"TINHGON_TRUSTED_PROXIES: {value!r} is not an address or a network") from exc
    return tuple(out)


def trusted_networks(values: Iterable[str] | None = None) -> tuple[Network, ...]:
    """The trusted proxies as networks (from the setting unless ``values`` are given)."""
    if values is None:
        values = getattr(settings, "TINHGON_TRUSTED_PROXIES", ())
    if isinstance(values, str):
        values = values.split(",")
    return _networks(tuple(v.strip() for v in values if v and v.strip()))


def _address(text: str) -> Address | None:
    """An address as proxies write it: bare, ``v4:port`` or ``[v6]:port``."""
    text = text.strip()
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        pass
    if text.startswith("["):
        host = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        host = text.partition(":")[0]
    else:
        return None
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return any(address in network for network in networks)


def client_ip(request) -> str | None:
    """The address of the client that made ``request`` (``None`` without a request)."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    if not from_trusted_proxy(request):
        return remote
    networks = trusted_networks()
    for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        if not entry.strip():
            continue
        address = _address(entry)
        if address is None:
            break  # a proxy we trust does not write this: believe nothing further left
        if not _trusted(address, networks):
            return str(address)
    return remote


def from_trusted_proxy(request) -> bool:
    """Whether the peer that sent ``request`` is one of the trusted reverse proxies."""
    networks = trusted_networks()
    peer = _address(request.META.get("REMOTE_ADDR") or "")
    return bool(networks) and peer is not None and _trusted(peer, networks)


class ForwardedProtoMiddleware:
    """Drop the forwarded-scheme header (``SECURE_PROXY_SSL_HEADER``) unless a trusted proxy sent it.

    Django believes that header from any peer; a client reaching the app directly could
    claim HTTPS and so skip the redirect. Must come before ``SecurityMiddleware``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
        if header and header[0] in request.META and not from_trusted_proxy(request):
            del request.META[header[0]]
        return self.get_response(request)
