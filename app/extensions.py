"""Extensions are created here, unbound, and bound to an app in `create_app`."""

from flask_migrate import Migrate
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from socketio.packet import Packet
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
socketio = SocketIO()


class TextPacket(Packet):
    """The Socket.IO packets of this server, which sends JSON and never bytes.

    python-socketio walks every outgoing payload looking for bytes to send as attachments; for a
    sync (the state and up to 500 events) that walk was a third of the connection's cost. It is
    skipped: a payload with bytes in it would fail loudly at `json.dumps`, never go out
    malformed. Packets from clients are decoded as before, binary ones included (and refused by
    the command handler as any non-JSON command is).
    """

    uses_binary_events = False
