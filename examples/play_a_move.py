"""Play one move of a seminar from outside, with nothing but docs/protocol.md.

A facilitator signs in over HTTP and creates a session; three players join; everyone connects
over Socket.IO. The facilitator holds the first inject in the lobby, starts the session and fires
the inject by hand; the players table a joint response and their leads endorse it until it is
adopted; the facilitator ends the move. Usage (see README.md here):

    python examples/play_a_move.py http://127.0.0.1:5000 "Prof. Tanaka" "the password"
"""

from __future__ import annotations

import sys
import threading
import uuid

import requests
import socketio

WAIT = 30  # seconds to wait for anything the server should send


def api(base: str, path: str, body: dict | None = None, token: str | None = None) -> dict:
    """Call the JSON HTTP API (section 2); stop with the server's message on an error."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if body is None:
        answer = requests.get(base + path, headers=headers, timeout=10).json()
    else:
        answer = requests.post(base + path, json=body, headers=headers, timeout=10).json()
    if not answer["ok"]:
        sys.exit(f"{path}: {answer['error']['code']}: {answer['error']['message']}")
    return answer


class Client:
    """One Socket.IO connection: keeps the sync and every event, and sends commands."""

    def __init__(self, base: str, name: str, token: str, session_id: int | None = None) -> None:
        self.name = name
        self.sync: dict = {}
        self.events: list[dict] = []
        self.changed = threading.Condition()
        self.sio = socketio.Client()
        self.sio.on("sync", self.on_sync)
        self.sio.on("event", self.on_event)
        auth = {"token": token, "last_seq": 0}
        if session_id is not None:
            auth["session_id"] = session_id  # facilitators say which session (section 3)
        self.sio.connect(base, auth=auth, transports=["websocket"])
        self.wait(lambda: self.sync, "the sync")  # the sync means "connected and up to date"

    def on_sync(self, sync: dict) -> None:
        with self.changed:
            self.sync = sync
            self.events.extend(sync["events"])
            self.changed.notify_all()

    def on_event(self, event: dict) -> None:
        with self.changed:
            if all(e["seq"] != event["seq"] for e in self.events):  # drop duplicates by seq
                self.events.append(event)
            self.changed.notify_all()

    def wait(self, found, what: str):  # type: ignore[no-untyped-def]
        with self.changed:
            if not self.changed.wait_for(found, timeout=WAIT):
                sys.exit(f"{self.name}: no {what} after {WAIT} s")
            return found()

    def wait_event(self, type_: str, where=lambda data: True) -> dict:  # type: ignore[no-untyped-def]
        """The first event of this type whose data passes `where`."""

        def match() -> dict | None:
            return next((e for e in self.events if e["type"] == type_ and where(e["data"])), None)

        return self.wait(match, f"{type_} event")

    def send(self, type_: str, **fields: object) -> dict:
        """Send one command (section 6) and return its ack; stop on a refusal."""
        command = {"id": str(uuid.uuid4()), "type": type_, **fields}
        ack = self.sio.call("command", command, timeout=WAIT)
        if not ack["ok"]:
            sys.exit(f"{self.name} {type_}: {ack['error']['code']}: {ack['error']['message']}")
        print(f"{self.name:>12}  {type_:<18} -> seq {ack['seq']}")
        return ack


def first_inject(scenario: dict) -> dict:
    """The first inject of the first move that everyone receives and can answer."""
    first_move = scenario["moves"][0]["id"]
    candidates = [
        i
        for i in scenario["injects"]  # facilitators see every inject (section 5)
        if i["move"] == first_move and i["audience"] == "all" and i["response_options"]
    ]
    return min(candidates, key=lambda i: i["order"])


def main(base: str, name: str, password: str, slug: str = "trilateral-2023") -> int:
    # 1. HTTP: a facilitator token, a session, three seats.
    token = api(base, "/api/facilitator/token", {"name": name, "password": password})["token"]
    session = api(base, "/api/sessions", {"scenario": slug, "title": "Example"}, token)["session"]
    print(f"session {session['id']}: join code {session['join_code']}")
    seats = [
        api(base, "/api/join", {"code": session["join_code"], "name": n})
        for n in ("Aiko", "Min-jun", "Sam")
    ]

    # 2. Socket.IO: everyone connects and gets a sync.
    white = Client(base, "White Cell", token, session["id"])
    players = {
        s["player"]["delegation"]: Client(base, s["player"]["name"], s["token"]) for s in seats
    }
    for code, client in players.items():
        you = client.sync["you"]
        print(f"{you['name']:>12}  seated in {code} as {you['role_title']} (lead: {you['lead']})")

    # 3. Hold the first inject in the lobby (an offset-0 inject would fire by itself at the
    #    start), start, and fire it by hand.
    inject = first_inject(white.sync["scenario"])
    if inject["trigger"] == "scheduled":
        white.send("inject.hold", inject_id=inject["id"])
    white.send("session.start")
    white.send("inject.fire", inject_id=inject["id"])
    for client in players.values():  # another offset-0 inject may have fired too
        client.wait_event("inject_fired", lambda data: data["inject"]["id"] == inject["id"])
    print(f"{'everyone':>12}  received {inject['title']!r}")

    # 4. Negotiate: one delegation tables a joint response, every lead endorses version 1.
    option = inject["response_options"][0]
    first = next(iter(players.values()))
    text = f"We agree to: {option['text']}"
    first.send("proposal.table", inject_id=inject["id"], text=text, options=[option["id"]])
    proposal = first.wait_event("proposal_tabled")["data"]["proposal"]
    for client in players.values():  # tabling is not endorsing: the author's lead endorses too
        client.send("proposal.endorse", proposal_id=proposal["id"], version=proposal["version"])
    adopted = white.wait_event(
        "proposal_adopted", lambda data: data["proposal_id"] == proposal["id"]
    )
    print(f"{'adopted':>12}  proposal {proposal['id']}: effects {adopted['data']['effects']}")

    # 5. End the move (the last move ends the session).
    moves = white.sync["scenario"]["moves"]
    white.send("session.next_move" if len(moves) > 1 else "session.end")
    print(f"{'done':>12}  session {session['id']}: {len(white.events)} events seen")
    for client in (white, *players.values()):
        client.sio.disconnect()
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:5]))
