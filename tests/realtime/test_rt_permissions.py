"""The permission matrix: every command type × every kind of caller, each with its documented
outcome (docs/protocol.md, section 3), through the Socket.IO test client.

The rows are generated from the command table (`app.engine.commands.COMMANDS`): a command added
to the table without a row here fails `test_every_command_has_a_row`.

The command acts on delegation JPN's things (its channel, a JPN-only inject, a proposal JPN
tabled on it). The kinds of caller:

- `anonymous`: no token; `other_facilitator`: a facilitator of another session (both cannot
  even connect to this session);
- `lead` and `non_lead`: players of the delegation (JPN), its lead and a member;
- `other_lead` and `other_member`: players of another delegation (KOR), its lead and a member;
- `removed`: a JPN player the facilitator removed, whose socket is still open;
- `observer`; `co_facilitator`; `owner`;
- `deleted`: a socket of a session that was deleted under it (e.g. by another process).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import pytest

from app.engine.commands import COMMANDS, who_may
from app.realtime.identity import facilitator_token
from app.realtime.sessions import add_co_facilitator
from tests.realtime.conftest import row_count

D_INJECT = "jpn-intel-toolmakers"  # to JPN only, with a 5-minute response deadline
MANUAL = "nk-beijing-restraint"  # a manual inject to all, not fired
KINDS = (
    "anonymous",
    "lead",
    "non_lead",
    "other_lead",
    "other_member",
    "removed",
    "observer",
    "other_facilitator",
    "co_facilitator",
    "owner",
    "deleted",
)
T = "text MARK"


@dataclass(frozen=True)
class Row:
    """How to make a command's rightful call: the session's stage, commands run before it by
    (kind, type, fields), the command's fields, and what a player of another delegation gets."""

    stage: str  # lobby | running | paused | ended
    fields: dict[str, Any]
    before: tuple[tuple[str, str, dict[str, Any]], ...] = ()
    outsider: str = "not_found"  # JPN's inject and proposal do not exist for KOR
    extra: dict[str, Any] = field(default_factory=dict)


TABLED = (("lead", "proposal.table", {"inject_id": D_INJECT, "text": T, "options": ["@opt"]}),)
ROWS: dict[str, Row] = {
    "session.start": Row("lobby", {}),
    "session.pause": Row("running", {}),
    "session.resume": Row("paused", {}),
    "session.next_move": Row("running", {}),
    "session.end": Row("running", {}),
    "lobby.lock": Row("lobby", {"locked": True}),
    "seat.move": Row("running", {"player_id": "@non_lead", "delegation": "USA"}),
    "seat.set_lead": Row("running", {"delegation": "JPN", "player_id": "@non_lead"}),
    "seat.remove": Row("running", {"player_id": "@non_lead"}),
    "seat.reissue_code": Row("running", {"player_id": "@non_lead"}),
    "delegation.set_automatic": Row("running", {"delegation": "USA", "automatic": True}),
    "inject.fire": Row("running", {"inject_id": MANUAL}),
    "inject.hold": Row("running", {"inject_id": MANUAL}),
    "inject.release": Row(
        "running", {"inject_id": MANUAL}, (("owner", "inject.hold", {"inject_id": MANUAL}),)
    ),
    "inject.skip": Row("running", {"inject_id": MANUAL}),
    "inject.write": Row("running", {"title": T, "body": T, "audience": ["JPN"]}),
    "deadline.extend": Row("running", {"inject_id": D_INJECT, "minutes": 5}),
    "deadline.close": Row("running", {"inject_id": D_INJECT}),
    "deadline.request_time": Row("running", {"inject_id": D_INJECT, "minutes": 5}),
    "indicator.override": Row("running", {"indicator": "escalation", "value": 50, "ruling": T}),
    "message.post": Row("running", {"channel": "JPN", "text": T}, outsider="not_your_delegation"),
    "proposal.table": Row("running", {"inject_id": D_INJECT, "text": T, "options": ["@opt"]}),
    "proposal.amend": Row("running", {"proposal_id": 1, "text": "v2", "options": []}, TABLED),
    "proposal.endorse": Row("running", {"proposal_id": 1, "version": 1}, TABLED),
    "proposal.reject": Row("running", {"proposal_id": 1, "version": 1, "reason": T}, TABLED),
    "proposal.reserve": Row("running", {"proposal_id": 1, "version": 1}, TABLED),
    "proposal.withdraw": Row("running", {"proposal_id": 1}, TABLED),
    "statement.issue": Row("running", {"inject_id": D_INJECT, "text": T, "options": ["@opt"]}),
    "debrief.hotwash": Row("ended", {"went_well": T}, outsider="ok"),  # every player's own
    "debrief.unlock": Row("ended", {}),
}


def expected(kind: str, kind_of_command: str) -> str:
    """The documented outcome of one command type for one kind of caller ("ok" or a code)."""
    who = who_may(kind_of_command)
    if kind == "anonymous":
        return "connect:bad_token"
    if kind == "other_facilitator":
        return "connect:not_your_session"
    if kind == "deleted":
        return "session_deleted"
    if kind == "observer":
        return "not_player"  # observers only read
    if who == "facilitator":
        return "ok" if kind in ("owner", "co_facilitator") else "not_facilitator"
    if kind in ("owner", "co_facilitator"):
        return "ok" if who == "member" else "not_player"
    if kind == "removed":
        return "not_player"
    if who == "lead" and kind in ("non_lead", "other_member"):
        return "not_lead"  # checked before anything is looked up
    if kind in ("other_lead", "other_member"):
        return ROWS[kind_of_command].outsider
    return "ok"


class World:
    """One session with a caller of every kind connected, at a stage, JPN's things in place."""

    def __init__(self, ctx: dict[str, Any], row: Row) -> None:
        self.ctx = ctx
        game = ctx["make_session"]()
        self.game = game
        add_co_facilitator(ctx["facilitator"].id, game.id, ctx["co"].name)
        self.clients: dict[str, Any] = {}
        self.ids: dict[str, int] = {}
        self._n = itertools.count(1)
        connect, join = ctx["connect"], ctx["join"]
        self.clients["owner"] = connect(facilitator_token(ctx["facilitator"]), session_id=game.id)
        self.clients["co_facilitator"] = connect(facilitator_token(ctx["co"]), session_id=game.id)
        observed = ctx["app"].test_client().post("/api/observe", json={"code": game.observer_code})
        self.clients["observer"] = connect(observed.get_json()["token"])
        # Seats fill JPN, KOR, USA in turn: the first of each delegation leads.
        order = ["lead", "other_lead", "usa", "non_lead", "other_member", "usa2", "removed"]
        for kind in order:
            answer = join(game.join_code, kind.replace("_", " ").title())
            self.ids[kind] = answer["player"]["id"]
            self.clients[kind] = connect(answer["token"])
        assert self.send("owner", "seat.remove", player_id=self.ids["removed"])["ok"]
        if row.stage != "lobby":
            assert self.send("owner", "session.start")["ok"]
            assert self.send("owner", "inject.fire", inject_id=D_INJECT)["ok"]
        if row.stage == "paused":
            assert self.send("owner", "session.pause")["ok"]
        if row.stage == "ended":
            assert self.send("owner", "session.end")["ok"]
        for kind, type_, fields in row.before:
            assert self.send(kind, type_, **self.resolve(fields))["ok"]

    def resolve(self, fields: dict[str, Any]) -> dict[str, Any]:
        from app.realtime import service

        def one(value: Any) -> Any:
            if value == "@opt":
                return service.load_state(self.game.id).injects[D_INJECT].options[0]
            if isinstance(value, str) and value.startswith("@"):
                return self.ids[value[1:]]
            if isinstance(value, list):
                return [one(v) for v in value]
            return value

        return {k: one(v) for k, v in fields.items()}

    def send(self, kind: str, type_: str, **fields: Any) -> dict[str, Any]:
        command = {"id": f"m{next(self._n)}", "type": type_, **fields}
        return self.clients[kind].emit("command", command, callback=True)


@pytest.fixture
def ctx(app, facilitator, make_facilitator, make_session, connect, join, refused):  # type: ignore[no-untyped-def]
    return {
        "app": app,
        "facilitator": facilitator,
        "co": make_facilitator("Dr. Co"),
        "other": make_facilitator("Dr. Other"),
        "make_session": make_session,
        "connect": connect,
        "join": join,
        "refused": refused,
    }


def test_every_command_has_a_row():
    """Does every command type of the command table have its row in the matrix?"""
    assert set(ROWS) == set(COMMANDS)


@pytest.mark.parametrize("kind_of_command", sorted(COMMANDS))
def test_the_permission_matrix(ctx, kind_of_command):
    """For this command type, does every kind of caller get its documented outcome, with
    nothing written to the log by a refusal?"""
    from sqlalchemy import delete

    from app.extensions import db
    from app.store.models import GameSession

    row = ROWS[kind_of_command]
    outcomes = {kind: expected(kind, kind_of_command) for kind in KINDS}
    world = World(ctx, row)
    fields = world.resolve(row.fields)
    got: dict[str, str] = {}
    for kind in KINDS:
        want = outcomes[kind]
        if want.startswith("connect:"):
            token = "" if kind == "anonymous" else facilitator_token(ctx["other"])
            refusal = ctx["refused"]({"token": token, "session_id": world.game.id})
            got[kind] = f"connect:{refusal['data']['code']}" if refusal else "connected"
        elif want not in ("ok", "session_deleted"):
            rows = row_count(world.game.id)
            ack = world.send(kind, kind_of_command, **fields)
            got[kind] = "ok" if ack["ok"] else ack["error"]["code"]
            assert row_count(world.game.id) == rows, f"{kind} changed the log"
    # Each allowed kind acts on a session of its own, as the first to do it.
    allowed = [k for k in KINDS if outcomes[k] == "ok"]
    for n, kind in enumerate(allowed):
        target = world if n == 0 else World(ctx, row)
        ack = target.send(kind, kind_of_command, **target.resolve(row.fields))
        got[kind] = "ok" if ack["ok"] else ack["error"]["code"]
    # A socket of a deleted session: the session goes (as another process would delete it).
    db.session.execute(delete(GameSession).where(GameSession.id == world.game.id))
    db.session.commit()
    ack = world.send(allowed[0], kind_of_command, **fields | {"proposal_id": 1})
    got["deleted"] = "ok" if ack["ok"] else ack["error"]["code"]
    assert got == outcomes
