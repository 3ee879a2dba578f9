"""Socket.IO: authentication, rooms, sync, commands in and events out."""

from flask import Flask


def register_realtime(app: Flask) -> None:
    from app.realtime.handlers import register_handlers

    register_handlers()
