"""The one entry point: choose the async mode, patch the standard library first, then start.

eventlet and gevent must monkey-patch before anything else is imported, so this file reads the
setting from the environment by hand and imports the application only afterwards.
"""

import os
import sys
import warnings

ASYNC_MODE = os.environ.get("ASYNC_MODE", "eventlet")

if ASYNC_MODE == "eventlet":
    # eventlet is in maintenance mode and says so on import; the stack asks for it, so quiet it.
    warnings.filterwarnings("ignore", message=r"(?s)\s*Eventlet is deprecated")
    import eventlet

    eventlet.monkey_patch()
elif ASYNC_MODE == "gevent":
    from gevent import monkey

    monkey.patch_all()
elif ASYNC_MODE != "threading":
    sys.exit(f"ASYNC_MODE must be eventlet, gevent or threading, not {ASYNC_MODE!r}")


def main() -> None:
    from app import create_app
    from app.boot import boot
    from app.extensions import socketio
    from app.network import classroom_lines

    app = create_app()
    url = boot(app)
    from app import heap

    heap.tune()
    heap.freeze(collect=True)  # the code, the scenarios, the config: alive until the end
    if os.environ.get("GC_STATS_FILE"):  # benchmarks only: time the garbage collector
        from app.gcstats import install

        install(os.environ["GC_STATS_FILE"], socketio.start_background_task)
    print(f"\n  Crisis-simulation server running on {url}", flush=True)
    print("\n".join(classroom_lines(app.config)) + "\n", flush=True)
    if ASYNC_MODE == "eventlet":
        serve_eventlet(app)
        return
    options: dict = {"host": app.config["HOST"], "port": app.config["PORT"]}
    if ASYNC_MODE == "threading":
        options["allow_unsafe_werkzeug"] = True
    socketio.run(app, log_output=False, use_reloader=False, debug=False, **options)


def serve_eventlet(app) -> None:  # type: ignore[no-untyped-def]
    """eventlet's WSGI server on a socket set up for a live room.

    - TCP_NODELAY: an ack is a small write right after an event; without it the ack waits for
      the peer's delayed TCP acknowledgement (about 40 ms per command, measured in bench/).
    - reuse_port off: eventlet turns SO_REUSEPORT on by default, which lets a second server on
      the same port silently share connections instead of failing to start.
    - max_size: eventlet caps connections at 1,024 unless told otherwise (and a class that joins
      at once needs a listen backlog larger than eventlet's 50).
    """
    import socket

    import eventlet.wsgi

    host = app.config["HOST"]
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = eventlet.listen(
        (host, app.config["PORT"]), family=family, backlog=1024, reuse_port=False
    )
    listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    eventlet.wsgi.server(
        listener,
        app,
        log_output=False,
        max_size=int(os.environ.get("MAX_CONNECTIONS", "4096")),
    )


if __name__ == "__main__":
    main()
