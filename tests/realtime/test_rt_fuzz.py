"""Fuzzing with Hypothesis: generated commands and HTTP bodies (wrong types, huge and nested
values, every Unicode category, lone surrogates) against the test client.

Properties: nothing answers 500 or `server_error`, nothing logs a traceback, every refused
command leaves the event log as it was, and afterwards the review and every export still build.
More than 10,000 commands and bodies in all, derandomized so CI sees the same ones each run.
"""

from __future__ import annotations

import json
import logging
import string
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.engine.commands import COMMANDS
from app.extensions import db
from app.realtime.identity import facilitator_token
from app.review.charts import CHARTS
from app.review.exports import FORMATS
from app.store.models import CommandRecord, Event
from tests.review.conftest import sign_in


def fuzz(examples: int) -> settings:
    """Hypothesis settings for these tests: fixed examples (derandomized), no database, no
    deadline (the machine is shared), fixtures kept across examples on purpose."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        print_blob=False,
        suppress_health_check=list(HealthCheck),
    )


# The codes a client may be answered with (docs/protocol.md); never `server_error`.
CODES = {
    "bad_command",
    "unknown_command",
    "missing_field",
    "bad_field",
    "too_large",
    "not_facilitator",
    "not_player",
    "not_your_delegation",
    "not_lead",
    "not_found",
    "wrong_state",
    "session_ended",
    "rate_limited",
    "id_reused",  # the generator re-uses ids across different commands (docs/protocol.md)
    "seat_moved",
}
TRICKY = [
    "\ud800",
    "\udfff",
    "\ud83d\ude00",
    "\u200b",
    "\u200d",
    "\u202e",
    "\u2066",
    "\ufeff",
    "\u3164",
    "\x00",
    "\x1b",
    "\x85",
    "\r\n",
    "\ufffe",
    "\U0010ffff",
    "\uff21",
    "e\u0301",
    "<script>",
    "=cmd|",
    "%s%n",
    "{{7*7}}",
    "../../",
]

# Text from every Unicode category, lone surrogates included, with the tricky ones mixed in.
any_char = st.characters(exclude_categories=())
texts = st.one_of(
    st.text(any_char, max_size=12),
    st.lists(st.sampled_from(TRICKY) | st.text(any_char, max_size=3), max_size=8).map("".join),
    st.sampled_from(["", " ", "\n"]),
    st.integers(1, 60).map(lambda n: "\u200b" * n),
    st.integers(3990, 4010).map(lambda n: "x" * n),  # around the 4,000-character limit
)
numbers = st.one_of(
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, 1, 2, 3, -1, 2**31, 2**31 + 1, 10_000, 10_001]),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, texts)
# Mostly small values (cheap to make, so many commands), sometimes big nested ones.
small_json = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=4,
)
big_json = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=8) | st.dictionaries(texts, inner, max_size=8),
    max_leaves=40,
)
json_values = st.one_of(small_json, small_json, small_json, big_json)
ids = st.one_of(
    st.text(string.ascii_letters + string.digits + "._:-", min_size=1, max_size=12),
    json_values,
)
codes = st.sampled_from(["JPN", "KOR", "USA", "CHN", "jpn", "", "JPN\n"]) | texts
refs = (
    st.sampled_from(
        ["plenary", "JPN", "KOR-USA", "white-JPN", "nk-23-missiles", "escalation", "adhoc-1"]
    )
    | texts
)
plausible = {
    "text": texts,
    "reason": texts,
    "title": texts,
    "body": texts,
    "ruling": texts,
    "channel": refs,
    "inject_id": refs | st.none(),
    "indicator": refs,
    "delegation": codes,
    "audience": st.sampled_from(["all", ["JPN"], ["JPN", "KOR"], [], ["XX"]]) | json_values,
    "options": st.lists(refs, max_size=4) | json_values,
    "player_id": numbers,
    "proposal_id": numbers,
    "version": numbers,
    "value": numbers,
    "minutes": numbers,
    "deadline_minutes": numbers,
    "locked": st.booleans() | json_values,
    "automatic": st.booleans() | json_values,
}
# session.end and seat.remove would end the fuzzing early (everything after is refused).
TYPES = sorted(set(COMMANDS) - {"session.end", "seat.remove"})


@st.composite
def shaped_commands(draw: Any) -> dict[str, Any]:
    """A command of a real type, each field plausible or wild."""
    kind = draw(st.sampled_from(TYPES))
    command: dict[str, Any] = {"id": draw(ids), "type": kind}
    for name in COMMANDS[kind][1]:
        if draw(st.integers(0, 9)) == 0:
            continue  # leave a field out
        wild = draw(st.integers(0, 4)) == 0
        command[name] = draw(small_json if wild else plausible.get(name, json_values))
    return command


commands = st.one_of(
    shaped_commands(),
    shaped_commands(),
    shaped_commands(),
    json_values,
    st.dictionaries(st.sampled_from(["id", "type", "text", "channel"]) | texts, json_values),
)
senders = st.sampled_from(["fac", "JPN", "KOR", "USA", "observer"])
extras = st.lists(small_json, max_size=1) | st.just([])
batches = st.lists(st.tuples(senders, commands, extras), min_size=4, max_size=8)


def head(session_id: int) -> int:
    db.session.rollback()
    return db.session.scalar(
        select(func.coalesce(func.max(Event.seq), 0)).where(Event.session_id == session_id)
    )


def written_by(session_id: int, after_seq: int) -> set[str]:
    """The ids of the commands whose events come after `after_seq`; every such event must
    belong to one (nothing in these tests logs events without a command)."""
    rows = db.session.execute(
        select(CommandRecord.command_id, CommandRecord.first_seq, CommandRecord.last_seq).where(
            CommandRecord.session_id == session_id, CommandRecord.last_seq > after_seq
        )
    ).all()
    covered = {seq for _id, first, last in rows for seq in range(first, last + 1)}
    assert set(range(after_seq + 1, head(session_id) + 1)) <= covered
    return {command_id for command_id, _first, _last in rows}


def check_ack(ack: Any) -> bool:
    """The ack is well formed; returns whether the command was accepted."""
    assert isinstance(ack, dict) and isinstance(ack.get("ok"), bool), ack
    if not ack["ok"]:
        assert ack["error"]["code"] in CODES, ack
        assert (
            isinstance(ack["error"]["message"], str) and "Traceback" not in ack["error"]["message"]
        )
    return ack["ok"]


def no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    bad = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert not bad, bad[0].getMessage()


def review_builds(app: Any, facilitator: Any, session_id: int) -> None:
    """The review page, its data, charts and every export (plain and anonymised) answer 200."""
    from app.review import forget_review

    forget_review(session_id)
    client = sign_in(app.test_client(), facilitator)
    routes = ["", "/review.json", "/timeline.json", "/proposals.json", "/transcripts.json"]
    routes += ["/replay.json", "/report", *(f"/charts/{n}.svg" for n in CHARTS)]
    routes += [f"/export/{f}{q}" for f in FORMATS for q in ("", "?anon=1")]
    for route in routes:
        assert client.get(f"/review/{session_id}{route}").status_code == 200, route


@pytest.fixture
def fuzz_table(table, observer):  # type: ignore[no-untyped-def]
    """The table, started, with an observer: senders by name."""
    assert table.fac_send("session.start")["ok"]
    for client in (table.fac, observer, *table.players.values()):
        client.get_received()
    return table, {"fac": table.fac, "observer": observer, **table.players}


def _fuzz_commands(app, facilitator, fuzz_table, caplog, examples: int, minimum: int) -> None:  # type: ignore[no-untyped-def]
    table, clients = fuzz_table
    sent = [0]

    @fuzz(examples)
    @given(batch=batches)
    def run(batch: list[tuple[str, Any, list[Any]]]) -> None:
        before = head(table.game.id)
        accepted = set()
        for sender, command, extra in batch:
            if extra and sender != "observer":
                ack = clients[sender].emit("command", command, *extra, callback=True)
                assert ack["error"]["code"] == "bad_command"
            else:
                ack = clients[sender].emit("command", command, callback=True)
            sent[0] += 1
            if check_ack(ack):
                accepted.add(command["id"])
        # Every event logged during the batch belongs to a command that was accepted: the
        # refused ones (and the stray-argument ones) left the log as it was.
        assert written_by(table.game.id, before) <= accepted, batch
        for client in clients.values():
            client.get_received()  # keep the test clients' queues short

    with caplog.at_level(logging.WARNING):
        run()
    assert sent[0] >= minimum
    no_tracebacks(caplog)
    review_builds(app, facilitator, table.game.id)


def test_fuzzed_commands_from_every_kind_of_sender(app, facilitator, fuzz_table, caplog):
    """Do 2,000+ generated commands from the facilitator, players and an observer get only
    documented answers, leave the log unchanged when refused, log no traceback, and leave a
    session whose review and exports still build?"""
    _fuzz_commands(app, facilitator, fuzz_table, caplog, examples=430, minimum=2000)


def test_more_fuzzed_commands_on_a_busier_session(app, facilitator, fuzz_table, caplog):
    """The same on a session that already has proposals and a confidential inject (so more
    generated commands reach the rules' deeper refusals)?"""
    table, _clients = fuzz_table
    assert table.fac_send("inject.fire", inject_id="usa-intel-test-readiness")["ok"]
    assert table.fac_send("inject.fire", inject_id="nk-23-missiles")["ok"]
    for code in ("JPN", "USA"):
        assert table.as_(code, "proposal.table", inject_id=None, text="draft", options=[])["ok"]
    _fuzz_commands(app, facilitator, fuzz_table, caplog, examples=430, minimum=2000)


bodies = st.one_of(json_values, st.dictionaries(st.sampled_from(["code", "name"]), json_values))
raw_bodies = st.one_of(
    st.binary(max_size=200),
    texts.map(lambda t: t.encode("utf-8", "surrogatepass")),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.just(b"[" * 50 + b"]" * 50),
)
content_types = st.sampled_from(
    [
        "application/json",
        "text/plain",
        "application/x-www-form-urlencoded",
        "",
        "application/json; charset=latin-1",
    ]
)


def test_fuzzed_http_bodies(app, game, fac_token, caplog):
    """Do 6,000+ generated JSON and raw bodies on the JSON API, and generated query strings on
    the review, answer below 500, as `{ok: false, error}` for a refusal, and log no traceback?"""
    from app.realtime.sessions import add_co_facilitator  # noqa: F401  (the route under test)

    client = app.test_client()
    auth = {"Authorization": f"Bearer {fac_token}"}
    posts = ["/api/join", "/api/observe", "/api/sessions", f"/api/sessions/{game.id}/facilitators"]
    sent = [0]

    def check(response: Any) -> None:
        sent[0] += 1
        assert response.status_code < 500, response.get_data(as_text=True)[:300]
        if response.status_code >= 400 and response.is_json:
            answer = response.get_json()
            assert answer["ok"] is False and isinstance(answer["error"]["code"], str)

    @fuzz(1700)
    @given(
        path=st.sampled_from(posts),
        body=bodies,
        raw=raw_bodies,
        content_type=content_types,
    )
    def run(path: str, body: Any, raw: bytes, content_type: str) -> None:
        check(client.post(path, json=body, headers=auth))
        check(client.post(path, json=body))
        check(client.post(path, data=raw, headers=auth | {"Content-Type": content_type}))

    @fuzz(900)
    @given(
        route=st.sampled_from(["transcripts.json", "replay.json", "export/json", "export/csv"]),
        args=st.dictionaries(
            st.sampled_from(["offset", "seq", "player", "from", "to", "q", "channel", "anon"]),
            st.one_of(texts, numbers.map(str)),
            max_size=4,
        ),
    )
    def review_args(route: str, args: dict[str, str]) -> None:
        # Percent-encode the raw bytes, so lone surrogates reach the server as a browser's
        # broken UTF-8 would (the test client itself refuses to encode them).
        query = "&".join(
            f"{quote(k)}={quote(v.encode('utf-8', 'surrogatepass'))}" for k, v in args.items()
        )
        check(owner.get(f"/review/{game.id}/{route}?{query}"))

    owner = sign_in(app.test_client(), game.owner)
    with caplog.at_level(logging.WARNING):
        run()
        review_args()
    assert sent[0] >= 6000
    no_tracebacks(caplog)


def test_token_endpoint_bodies(app, facilitator, caplog):
    """Does the facilitator token endpoint (which hashes passwords, so fewer tries) answer
    every generated body below 500 without a traceback?"""
    client = app.test_client()

    @fuzz(60)
    @given(body=st.fixed_dictionaries({"name": json_values, "password": json_values}) | bodies)
    def run(body: Any) -> None:
        response = client.post("/api/facilitator/token", json=body)
        assert response.status_code < 500

    with caplog.at_level(logging.WARNING):
        run()
    no_tracebacks(caplog)
    assert facilitator_token(facilitator)
