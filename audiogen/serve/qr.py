"""The address to open on a phone, and its QR code for the terminal (segno)."""

from __future__ import annotations

import io
import ipaddress
import socket

import segno

# A documentation-only address (RFC 5737): "connecting" a UDP socket to it sends nothing
# but makes the system pick the interface, and so the address, it would route through.
_PROBE = ("192.0.2.1", 9)


def lan_address() -> str | None:
    """This machine's address on the local network, or None when it has none."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(_PROBE)
            address = str(probe.getsockname()[0])
    except OSError:
        return None
    return None if ipaddress.ip_address(address).is_loopback else address


def phone_host(host: str) -> str | None:
    """The host a phone should use, or None when the server only listens on loopback."""
    if host in {"0.0.0.0", "::", ""}:
        return lan_address()
    try:
        return None if ipaddress.ip_address(host).is_loopback else host
    except ValueError:  # a host name: the phone may resolve it as well as we do
        return None if host == "localhost" else host


def url_for(host: str, port: int) -> str:
    literal = f"[{host}]" if ":" in host else host
    return f"http://{literal}:{port}/"


def terminal_qr(text: str) -> str:
    """A QR code of `text` drawn with block characters, two modules a character row."""
    out = io.StringIO()
    segno.make(text, error="m").terminal(out=out, compact=True)
    return out.getvalue()
