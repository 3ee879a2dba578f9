"""The message queue between server processes, with one promise added: a closed room's sockets
are disconnected on every process.

python-socketio's managers publish `close_room` to every process, where it only empties the
room. This server closes a room for one reason, to end the sockets in it (a deleted session, a
facilitator who signed out), so a process that hears another's `close_room` first disconnects
its own sockets in that room. The process that closes the room disconnects its sockets itself
(`handlers.end_sockets`), inside the request that asked for it.
"""

from __future__ import annotations

from typing import Any

import socketio


class _EndsSocketsOfClosedRooms:
    def _handle_close_room(self, message: dict[str, Any]) -> None:
        if message.get("host_id") != self.host_id:  # another process closed it
            namespace = message.get("namespace") or "/"
            for sid, _eio_sid in list(self.get_participants(namespace, message.get("room"))):
                self.server.disconnect(sid, namespace=namespace, ignore_queue=True)
        super()._handle_close_room(message)


class RedisRoomManager(_EndsSocketsOfClosedRooms, socketio.RedisManager):
    pass


class KombuRoomManager(_EndsSocketsOfClosedRooms, socketio.KombuManager):
    pass


def client_manager(url: str, channel: str) -> socketio.PubSubManager:
    """The manager Flask-SocketIO would make for `url`, with closed rooms ending sockets."""
    manager = RedisRoomManager if url.startswith(("redis://", "rediss://")) else KombuRoomManager
    return manager(url, channel=channel)
