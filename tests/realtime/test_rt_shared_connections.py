"""The cap of open connections per address, shared by server processes through Redis: places
taken on one process count on the others, a closed connection frees its place everywhere, a dead
process's places come back when their leases end, and an unreachable Redis leaves each process
counting its own."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis
from flask import Flask

from app.realtime import limits
from tests.web.test_web_shared_limits import (  # noqa: F401 (fixtures)
    channel,
    make_process,
    redis_client,
)

ADDRESS = "203.0.113.7"  # a classroom's NAT address


class Process:
    """One app standing for a server process: admits and releases connections of ADDRESS."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.open: list[str] = []

    def admit(self, sid: str) -> bool:
        with self.app.test_request_context(environ_base={"REMOTE_ADDR": ADDRESS}):
            admitted = limits.admit(sid)
        if admitted:
            self.open.append(sid)
        return admitted

    def release(self, sid: str) -> None:
        with self.app.app_context():
            limits.release(sid)
        self.open.remove(sid)

    @property
    def books(self) -> limits.Connections:
        return self.app.extensions["socket_addresses"]

    def die(self) -> None:
        """What SIGKILL leaves: its connections still counted in Redis, and no one to renew or
        release them (its renewing task stops once it has none)."""
        with self.books.guard:
            self.books.address_of.clear()
            self.books.per_address.clear()
        self.open.clear()


@pytest.fixture
def make(make_process: Callable[..., Flask]) -> Iterator[Callable[..., Process]]:  # noqa: F811
    """Processes of one deployment with a cap of 3; their connections are closed after."""
    processes: list[Process] = []

    def start(**settings: Any) -> Process:
        process = Process(make_process(MAX_CONNECTIONS_PER_ADDRESS=3, **settings))
        processes.append(process)
        return process

    yield start
    for process in processes:
        for sid in list(process.open):
            process.release(sid)


def test_the_cap_counts_connections_on_every_process(make) -> None:
    """Connections of one address spread over two processes: is the fourth refused on both,
    after 3 in total, not 3 on each?"""
    a, b = make(), make()
    assert [a.admit("a1"), b.admit("b1"), a.admit("a2")] == [True, True, True]
    assert not b.admit("b2")
    assert not a.admit("a3")


def test_a_closed_connection_frees_its_place_on_the_other_process(make) -> None:
    """When a connection on A closes, may the address open one more on B?"""
    a, b = make(), make()
    for sid in ("a1", "a2", "a3"):
        assert a.admit(sid)
    assert not b.admit("b1")
    a.release("a2")
    assert b.admit("b1")
    assert not b.admit("b2")


def test_a_dead_process_frees_its_places_when_their_leases_end(make) -> None:
    """A process killed with connections open: are its places still taken on the others until
    their leases end, and free after?"""
    dead, alive = make(CONNECTION_LEASE_SECONDS=2.0), make(CONNECTION_LEASE_SECONDS=2.0)
    for sid in ("d1", "d2", "d3"):
        assert dead.admit(sid)
    dead.die()
    assert not alive.admit("b1")
    time.sleep(2.2)  # the lease, plus a little
    assert [alive.admit(sid) for sid in ("b1", "b2", "b3", "b4")] == [True, True, True, False]


def test_renewed_leases_keep_their_places(make) -> None:
    """Does a process that renews its connections' leases keep their places past the first
    lease, on the other processes too?"""
    a, b = make(CONNECTION_LEASE_SECONDS=1.0), make()
    for sid in ("a1", "a2", "a3"):
        assert a.admit(sid)
    a.app.config["CONNECTION_LEASE_SECONDS"] = 30.0  # its renewing task's next rounds too
    assert a.books.renew(30.0)
    time.sleep(1.2)  # past the first lease
    assert not b.admit("b1")


def test_connections_redis_lost_are_counted_again_at_the_next_renewal(
    make,
    redis_client,  # noqa: F811
    channel,  # noqa: F811
) -> None:
    """After Redis loses the count (restarted empty), do the next renewals count every
    process's open connections again?"""
    a, b = make(), make()
    assert a.admit("a1") and a.admit("a2") and b.admit("b1")
    redis_client.delete(*redis_client.scan_iter(f"{channel}:limits:connections:*"))
    assert a.books.renew(60.0) and b.books.renew(60.0)
    assert not b.admit("b2")


@pytest.fixture
def without_redis(make: Callable[..., Process]) -> Process:
    """A process whose Redis for limits is a port where nothing listens."""
    return make(LIMITS_STORE="redis://127.0.0.1:1/0")


def test_unreachable_redis_leaves_each_process_counting_its_own(without_redis, caplog) -> None:
    """With nothing listening where Redis should be, are connections admitted up to the cap
    counted in this process, refused past it, freed when closed, and is the outage logged once?"""
    process = without_redis
    with caplog.at_level(logging.WARNING, logger="app.security.shared_limits"):
        assert [process.admit(f"s{n}") for n in range(4)] == [True, True, True, False]
        process.release("s1")
        assert process.admit("s5")
        assert process.books.renew(60.0)  # a renewal without Redis changes nothing
        assert not process.admit("s6")
    outages = [r for r in caplog.records if "counting them in this process" in r.getMessage()]
    assert len(outages) == 1


def test_connections_leave_no_keys_in_redis_once_closed(
    make,
    redis_client: redis.Redis,  # noqa: F811
    channel,  # noqa: F811
) -> None:
    """Once every connection of the address is closed, is nothing of it left in Redis?"""
    a, b = make(), make()
    assert a.admit("a1") and b.admit("b1")
    assert list(redis_client.scan_iter(f"{channel}:*"))
    a.release("a1")
    b.release("b1")
    assert not list(redis_client.scan_iter(f"{channel}:*"))
