"""Free ports for tests that start real servers. Each suite keeps its own range, so suites run
side by side (and by several engineers at once) without taking each other's ports."""

from __future__ import annotations

import random
import socket
import threading

_lock = threading.Lock()
_taken: set[int] = set()


def free_port(ports: range) -> int:
    """A port of `ports` that nothing listens on and this run has not handed out yet."""
    with _lock:
        # In random order: two test runs at once then rarely probe the same port together.
        for port in random.sample(ports, len(ports)):
            if port in _taken:
                continue
            with socket.socket() as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                try:
                    probe.bind(("127.0.0.1", port))
                except OSError:
                    continue
            _taken.add(port)
            return port
    raise RuntimeError(f"no free port in {ports.start}-{ports.stop - 1}")
