"""Which address a request comes from: the one answer for the login lockout (django-axes) and
the API's throttles.

``X-Forwarded-For`` is a header anyone can write, so it is believed only when the request
came from a proxy listed in ``DRAMATIS_TRUSTED_PROXIES`` (addresses or networks), and only as
far back as the chain of trusted proxies goes: the first address that is not one of ours is
the client. With no proxy configured (the default, and ``make run``) the socket's own address
is used, so rotating the header changes nothing.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _networks() -> list[Network]:
    return [ipaddress.ip_network(p, strict=False) for p in settings.TRUSTED_PROXIES]


def _trusted(address: str, networks: list[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    """The client's address: ``REMOTE_ADDR``, or, behind trusted proxies, the nearest
    ``X-Forwarded-For`` entry that is not a trusted proxy."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    networks = _networks()
    if not networks or not _trusted(remote, networks):
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for address in reversed([a for a in forwarded if a]):
        if not _trusted(address, networks):
            return address
    return remote
