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

    app = create_app()
    url = boot(app)
    print(f"\n  Crisis-simulation server running on {url}\n", flush=True)
    options: dict = {"host": app.config["HOST"], "port": app.config["PORT"]}
    if ASYNC_MODE == "eventlet":
        options["max_size"] = int(os.environ.get("MAX_CONNECTIONS", "4096"))
    if ASYNC_MODE == "threading":
        options["allow_unsafe_werkzeug"] = True
    socketio.run(app, log_output=False, use_reloader=False, debug=False, **options)


if __name__ == "__main__":
    main()
