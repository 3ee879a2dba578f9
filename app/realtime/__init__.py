"""Socket.IO: authentication, rooms, sync, commands in and events out."""

from flask import Flask


def register_realtime(app: Flask) -> None:
    from app.extensions import socketio
    from app.realtime.handlers import register_handlers
    from app.realtime.limits import read_fairly, refuse_reserved_events

    register_handlers()
    read_fairly(socketio.server)
    refuse_reserved_events(socketio.server)
