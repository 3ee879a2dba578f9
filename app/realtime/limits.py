"""Limits on Socket.IO: connections per address, commands per socket and per seat, and
`history` requests per socket.

A command over its limit is answered at once with `rate_limited` and a `retry_after` hint, before
anything is parsed or recorded, so a flood costs the server one ack per message and never a
write. Connections and per-socket budgets are counted in this process (a socket lives on one);
a seat's budget is shared by every process when limits are in Redis (docs/architecture.md,
"Threat model").
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any

from flask import current_app, request
from socketio import packet

from app.security.ratelimit import limiter, rate, retry_after

log = logging.getLogger(__name__)
# A Socket.IO event packet's head: type 2, then the namespace ("/nsp,") and the ack id, if any.
_EVENT_HEAD = re.compile(r"2(/[^,]*,)?(\d+)")
UNREADABLE = "The command could not be read (not JSON, or nested too deeply); send one object."


class _Connections:
    """Open connections per client address on this process (one per app)."""

    def __init__(self) -> None:
        self.per_address: dict[str, int] = {}
        self.address_of: dict[str, str] = {}  # sid -> address
        self.refused: dict[str, int] = {}  # sid -> rate_limited answers in a row
        self.guard = threading.Lock()


def _connections() -> _Connections:
    found = current_app.extensions.get("socket_addresses")
    if found is None:
        found = current_app.extensions.setdefault("socket_addresses", _Connections())
    return found


def admit(sid: str) -> bool:
    """Count a new connection of this request's address; False when the address is full."""
    addr = request.remote_addr or "-"
    books = _connections()
    with books.guard:
        if books.per_address.get(addr, 0) >= current_app.config["MAX_CONNECTIONS_PER_ADDRESS"]:
            return False
        books.per_address[addr] = books.per_address.get(addr, 0) + 1
        books.address_of[sid] = addr
    return True


def release(sid: str) -> None:
    """Forget a closed connection (once; a second call does nothing)."""
    books = _connections()
    with books.guard:
        books.refused.pop(sid, None)
        addr = books.address_of.pop(sid, None)
        if addr is None:
            return
        left = books.per_address.get(addr, 1) - 1
        if left > 0:
            books.per_address[addr] = left
        else:
            books.per_address.pop(addr, None)
    limiter("socket_commands").forget(sid)
    limiter("socket_history").forget(sid)


def command_refusal(sid: str, seat: str) -> dict[str, Any] | None:
    """None if this socket and this seat may send a command now, else the `rate_limited` ack.

    `seat` is who acts in which session (a player, or a facilitator in one session), so opening
    more tabs does not multiply a seat's budget. The ack says `disconnect: True` when the socket
    has ignored FLOOD_DISCONNECT_AFTER refusals in a row: the caller then closes it, since
    even a refusal costs the server a little for every message of a flood.
    """
    wait = limiter("socket_commands").take(sid, rate("RATE_LIMIT_SOCKET_COMMANDS"))
    if not wait:
        wait = limiter("seat_commands").take(seat, rate("RATE_LIMIT_SEAT_COMMANDS"))
    return _refusal(sid, wait, "Too many commands; nothing was recorded.")


def history_refusal(sid: str) -> dict[str, Any] | None:
    """None if this socket may ask for older events now, else the `rate_limited` ack (with
    `disconnect`, as for commands). A page reads up to 500 events from the log: a client that
    asks without pause would slow everyone's acks."""
    wait = limiter("socket_history").take(sid, rate("RATE_LIMIT_SOCKET_HISTORY"))
    return _refusal(sid, wait, "Too many history requests.")


def _refusal(sid: str, wait: float, what: str) -> dict[str, Any] | None:
    books = _connections()
    with books.guard:
        if not wait:
            books.refused.pop(sid, None)
            return None
        refused = books.refused[sid] = books.refused.get(sid, 0) + 1
    seconds = round(max(wait, 0.05), 2)
    ack: dict[str, Any] = {
        "ok": False,
        "error": {
            "code": "rate_limited",
            "message": f"{what} Wait {retry_after(wait)} s.",
            "retry_after": seconds,
        },
    }
    return ack | {"disconnect": refused > current_app.config["FLOOD_DISCONNECT_AFTER"]}


def read_fairly(server: Any) -> None:
    """Let every connection take turns, however fast one of them sends.

    Engine.IO reads a websocket in a loop that yields to other green threads only when no data is
    waiting, and spawns a handler per message; a client that sends without pause keeps data
    waiting, so its reader never yields and the handlers of everyone else wait behind thousands of
    its messages. Here the reader yields once per message, then spawns the handler as Engine.IO
    would (`async_handlers`): a flood gets one turn in each round, like any other connection.
    """
    eio = server.eio
    handle = eio.handlers["message"]

    def run(sid: str, data: Any) -> None:
        try:
            handle(sid, data)
        except (ValueError, RecursionError) as error:
            # A packet that cannot be decoded (malformed, or JSON nested past the parser's
            # depth) is the client's fault; anything else is ours, and keeps its traceback.
            if isinstance(data, str) and not _decodes(server, data):
                unreadable(server, sid, data, error)
            else:
                eio.logger.exception("message handler error")
        except Exception:
            eio.logger.exception("message handler error")

    def on_message(sid: str, data: Any) -> Any:
        eio.sleep(0)
        return eio.start_background_task(run, sid, data)

    eio.async_handlers = False  # the handler below spawns, after yielding
    eio.on("message", on_message)


def _decodes(server: Any, data: str) -> bool:
    try:
        server.packet_class(encoded_packet=data)
    except (ValueError, RecursionError):
        return False
    return True


def unreadable(server: Any, sid: str, data: str, error: Exception) -> None:
    """A packet the server cannot decode: one log line, and `bad_command` to a command that
    waits for its ack (never silence, never a traceback)."""
    log.warning("unreadable Socket.IO packet from %s: %s", sid, type(error).__name__)
    head = _EVENT_HEAD.match(data)
    if head is None:
        return
    namespace = (head.group(1) or "/,")[:-1]
    ack = {"ok": False, "error": {"code": "bad_command", "message": UNREADABLE}}
    answer = server.packet_class(packet.ACK, data=[ack], namespace=namespace, id=int(head.group(2)))
    server._send_packet(sid, answer)


def refuse_reserved_events(server: Any) -> None:
    """Ignore an event named `connect` or `disconnect` sent by a client over an open socket.

    python-socketio passes any event name to its handler, and these two reach the connection's
    own handlers: a fake `connect` counted the address again and its refusal forgot the real
    connection (whose place then stayed taken forever: one script could fill a class's shared
    address), a fake `disconnect` freed the place of a socket still open (the cap dodged).
    """
    handle_event = server._handle_event

    def checked(eio_sid: str, namespace: str | None, id: int | None, data: Any) -> Any:
        if isinstance(data, list) and data and data[0] in server.reserved_events:
            log.info("event %r sent by client %s ignored", data[0], eio_sid)
            return None
        return handle_event(eio_sid, namespace, id, data)

    server._handle_event = checked
