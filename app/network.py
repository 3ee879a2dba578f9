"""Where students can reach this server: its LAN addresses, the join link and its QR code.

Nothing here sends a packet: the addresses come from the machine's own interface table
(psutil), so a classroom without internet access gets the same answer as one with it.
"""

from __future__ import annotations

import ipaddress
from typing import Any

import psutil
import segno
from markupsafe import Markup

WILDCARD_HOSTS = ("0.0.0.0", "::", "")
# Interfaces of containers and virtual machines: reachable from this machine only, so listed last.
VIRTUAL_PREFIXES = ("docker", "br-", "veth", "virbr", "vmnet", "vboxnet", "tun", "tap", "cni")


def is_loopback(host: str) -> bool:
    """True for 127.x, ::1 and localhost (with or without a port)."""
    if host.startswith("["):
        name = host[1:].split("]")[0]
    else:
        name = host.split(":")[0] if host.count(":") == 1 else host
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def lan_addresses() -> list[str]:
    """The IPv4 addresses other machines can use to reach this one, best first.

    Interfaces that are up, without loopback and link-local addresses; physical interfaces
    before container and VM bridges. Empty when the machine has no network.
    """
    try:
        stats = psutil.net_if_stats()
        interfaces = psutil.net_if_addrs()
    except OSError:
        return []
    found: list[tuple[bool, str, str]] = []
    for name, addresses in interfaces.items():
        if name in stats and not stats[name].isup:
            continue
        for address in addresses:
            if address.family.name != "AF_INET":
                continue
            ip = ipaddress.ip_address(address.address)
            if ip.is_loopback or ip.is_link_local or ip.is_unspecified:
                continue
            found.append((name.startswith(VIRTUAL_PREFIXES), name, address.address))
    return [address for _virtual, _name, address in sorted(found)]


def serves_network(config: Any) -> bool:
    """True when other machines can connect: a public URL, or a host other than loopback."""
    return bool(config["PUBLIC_URL"]) or not is_loopback(config["HOST"] or "127.0.0.1")


def _url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def student_urls(config: Any, request_host: str | None = None) -> list[str]:
    """Base addresses students can open, best first (never empty).

    `PUBLIC_URL` wins. Listening on every interface, the address the facilitator's browser used
    comes first when it is not loopback (it reaches this machine), then the LAN addresses.
    Listening on loopback only, the loopback address: only this machine can open it.
    """
    if config["PUBLIC_URL"]:
        return [config["PUBLIC_URL"].rstrip("/")]
    host, port = config["HOST"], config["PORT"]
    if host not in WILDCARD_HOSTS:
        return [_url(host, port)]
    urls = []
    if request_host and not is_loopback(request_host):
        urls.append(f"http://{request_host}")
    urls += [_url(address, port) for address in lan_addresses()]
    urls = list(dict.fromkeys(urls))
    return urls or [_url("127.0.0.1", port)]


def join_url(base: str, code: str) -> str:
    return f"{base}/join?code={code}"


def qr_svg(url: str) -> Markup:
    """An inline SVG QR code of `url` (dark on light, with its quiet zone; scales with CSS)."""
    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(
        scale=1,
        omitsize=True,
        dark="#000",
        light="#fff",
        svgclass="qr",
        lineclass=None,
        title=f"QR code of {url}",
    )
    return Markup(svg)


def classroom_lines(config: Any) -> list[str]:
    """What `serve.py` prints about who can reach the server."""
    if config["PUBLIC_URL"]:
        return [f"  Students join at {config['PUBLIC_URL'].rstrip('/')}/join"]
    if not serves_network(config):
        return [
            "  Only this computer can reach the server (HOST=127.0.0.1, the safe default).",
            "  For a classroom, run `make classroom` (HOST=0.0.0.0) and students join on the",
            "  local network.",
        ]
    urls = student_urls(config)
    if urls == [_url("127.0.0.1", config["PORT"])]:
        return ["  Listening on every interface, but this machine has no network address yet."]
    lines = ["  Students on the same network join at:"]
    lines += [f"    {url}/join" for url in urls]
    return lines
