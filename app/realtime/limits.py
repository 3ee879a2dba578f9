"""Limits on Socket.IO: connections per address, commands per socket and per seat, and
`history` requests per socket.

A command over its limit is answered at once with `rate_limited` and a `retry_after` hint, before
anything is parsed or recorded, so a flood costs the server one ack per message and never a
write. Per-socket budgets are counted in this process (a socket lives on one); a seat's budget and
the cap of open connections per address are shared by every process when limits are in Redis
(docs/architecture.md, "Threat model"). This process also keeps its own count of its
connections: it is the count while Redis does not answer, and tells which leases to renew.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import threading
from typing import Any

from flask import Flask, current_app, request
from socketio import packet

from app.extensions import socketio
from app.security.ratelimit import limiter, rate, retry_after
from app.security.shared_limits import SharedConnections, shared_store

log = logging.getLogger(__name__)
# A Socket.IO event packet's head: type 2, then the namespace ("/nsp,") and the ack id, if any.
_EVENT_HEAD = re.compile(r"2(/[^,]*,)?(\d+)")
UNREADABLE = "The command could not be read (not JSON, or nested too deeply); send one object."


class Connections:
    """Open connections per client address (one book per app): this process's own, and with a
    Redis for limits every process's (`shared`), which decides while Redis answers."""

    def __init__(self, shared: SharedConnections | None = None) -> None:
        self.per_address: dict[str, int] = {}
        self.address_of: dict[str, str] = {}  # sid -> address
        self.refused: dict[str, int] = {}  # sid -> rate_limited answers in a row
        self.guard = threading.Lock()
        self.shared = shared
        self.renewing = False  # a task renews the leases of this process's connections

    def admit(self, address: str, sid: str, cap: int, lease: float) -> bool:
        """Count a new connection of `address`; False when the address is full."""
        # Asked outside the guard: a round trip to Redis must not hold up other connections.
        shared = self.shared.admit(address, sid, cap, lease) if self.shared else None
        with self.guard:
            if shared is False or (shared is None and self.per_address.get(address, 0) >= cap):
                return False
            self.per_address[address] = self.per_address.get(address, 0) + 1
            self.address_of[sid] = address
        return True

    def release(self, sid: str) -> None:
        """Forget a closed connection (once; a second call does nothing)."""
        with self.guard:
            self.refused.pop(sid, None)
            address = self.address_of.pop(sid, None)
            if address is None:
                return
            left = self.per_address.get(address, 1) - 1
            if left > 0:
                self.per_address[address] = left
            else:
                self.per_address.pop(address, None)
        if self.shared:
            self.shared.release(address, sid)

    def renew(self, lease: float) -> bool:
        """Extend the leases of this process's open connections in Redis, and count again any
        that Redis lost (restarted, or down when they opened). False once none is open."""
        assert self.shared is not None
        with self.guard:
            held: dict[str, list[str]] = {}
            for sid, address in self.address_of.items():
                held.setdefault(address, []).append(sid)
        if not held:
            return False
        missing = self.shared.renew(held, lease) or []
        with self.guard:  # a connection missing because it closed meanwhile stays forgotten
            lost: dict[str, list[str]] = {}
            for address, sid in missing:
                if self.address_of.get(sid) == address:
                    lost.setdefault(address, []).append(sid)
        if lost:
            self.shared.renew(lost, lease, mode="add")
        return True


def _connections(app: Flask | None = None) -> Connections:
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    found = app.extensions.get("socket_addresses")
    if found is None:
        store = shared_store(app)
        # Members are named by process and socket: a process's own are the ones it renews.
        process = f"{os.getpid()}.{secrets.token_hex(4)}"
        made = Connections(SharedConnections(store, process) if store else None)
        found = app.extensions.setdefault("socket_addresses", made)
    return found


def admit(sid: str) -> bool:
    """Count a new connection of this request's address; False when the address is full (on
    every process, with limits in Redis)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    books = _connections(app)
    lease = app.config["CONNECTION_LEASE_SECONDS"]
    if not books.admit(
        request.remote_addr or "-", sid, app.config["MAX_CONNECTIONS_PER_ADDRESS"], lease
    ):
        return False
    if books.shared:
        with books.guard:
            start, books.renewing = not books.renewing, True
        if start:
            socketio.start_background_task(_keep_leases, app, books)
    return True


def _keep_leases(app: Flask, books: Connections) -> None:
    """Renew this process's leases every third of a lease while it has connections open (a
    renewal may fail once, and the place is still held)."""
    while True:
        socketio.sleep(app.config["CONNECTION_LEASE_SECONDS"] / 3)
        try:
            if books.renew(app.config["CONNECTION_LEASE_SECONDS"]):
                continue
        except Exception:  # the loop must survive anything; the next round tries again
            log.exception("renewing connection leases failed")
            continue
        with books.guard:
            if not books.address_of:  # else one opened after the renewal: keep renewing
                books.renewing = False
                return


def release(sid: str) -> None:
    """Forget a closed connection (once; a second call does nothing)."""
    _connections().release(sid)
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
