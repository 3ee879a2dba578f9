"""What does taking a rate-limit token cost, in this process's memory and in Redis? And counting
a Socket.IO connection against the cap per address (admit, then release)?

A loop of takes from 200 keys with a limit that never refuses, through the server's own classes
(`ratelimit.Limiter`, `shared_limits.SharedLimiter`), as plain Python or under eventlet like the
server; then as many connections admitted and released from 200 addresses
(`limits.Connections`, alone or with `shared_limits.SharedConnections`), and the renewal of 500
open connections' leases (one address, then 200). Prints wall-clock and CPU microseconds per take
or per connection (the best of three rounds). Its Redis keys are deleted after. Run, for example:

    python bench/limit_take.py --takes 20000 --eventlet
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--takes", type=int, default=20000, help="takes per round (20000)")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--eventlet", action="store_true", help="monkey-patch as serve.py does")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    if args.eventlet:
        import eventlet

        eventlet.monkey_patch()
    import redis

    from app.realtime.limits import Connections
    from app.security.ratelimit import Limiter, Rate
    from app.security.shared_limits import RedisStore, SharedConnections, SharedLimiter

    rate = Rate.parse("100000/1")
    prefix = f"bench-{uuid.uuid4().hex[:8]}:"
    store = RedisStore(args.redis, prefix)

    def per_take(limiter: Limiter | SharedLimiter) -> tuple[float, float]:
        limiter.take("warm-up", rate)
        rounds = []
        for _ in range(3):
            wall, cpu = time.perf_counter(), time.process_time()
            for n in range(args.takes):
                limiter.take(f"10.0.0.{n % 200}", rate)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            rounds.append((wall / args.takes * 1e6, cpu / args.takes * 1e6))
        return min(rounds)

    def per_connection(books: Connections) -> tuple[float, float]:
        rounds = []
        for _ in range(3):
            wall, cpu = time.perf_counter(), time.process_time()
            for n in range(args.takes):
                books.admit(f"10.0.0.{n % 200}", f"sid-{n}", 1_000_000, 60.0)
                books.release(f"sid-{n}")
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            rounds.append((wall / args.takes * 1e6, cpu / args.takes * 1e6))
        return min(rounds)

    def per_renewal(addresses: int) -> tuple[float, float]:
        books = Connections(SharedConnections(store, "bench"))
        for n in range(500):
            books.admit(f"10.0.1.{n % addresses}", f"open-{n}", 1_000_000, 60.0)
        rounds = []
        for _ in range(3):
            wall, cpu = time.perf_counter(), time.process_time()
            books.renew(60.0)
            rounds.append((time.perf_counter() - wall, time.process_time() - cpu))
        for n in range(500):
            books.release(f"open-{n}")
        return min(rounds)

    try:
        for name, limiter in (
            ("memory", Limiter()),
            ("redis", SharedLimiter(store, "join", Limiter())),
        ):
            wall, cpu = per_take(limiter)
            print(f"{name:7} {wall:8.1f} µs per take, {cpu:8.1f} µs CPU")
        for name, books in (
            ("memory", Connections()),
            ("redis", Connections(SharedConnections(store, "bench"))),
        ):
            wall, cpu = per_connection(books)
            print(f"{name:7} {wall:8.1f} µs per connection (admit + release), {cpu:8.1f} µs CPU")
        for addresses in (1, 200):
            wall, cpu = per_renewal(addresses)
            print(
                f"renewal of 500 leases on {addresses:3} address(es): {wall * 1e3:6.2f} ms, "
                f"{cpu * 1e3:6.2f} ms CPU"
            )
    finally:
        client = redis.Redis.from_url(args.redis)
        keys = list(client.scan_iter(f"{prefix}*"))
        if keys:
            client.delete(*keys)
        store.close()
        client.close()


if __name__ == "__main__":
    main()
