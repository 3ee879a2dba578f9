"""The nginx configuration of a local cluster (`deploy/cluster.sh`, tests/live): the production
file's routing (`deploy/nginx/crisis-sim.conf`: cookie-keyed stickiness, websocket proxying,
forwarded headers) on plain HTTP, with every path under one prefix folder.

    python deploy/local_nginx.py --listen 8080 --prefix /tmp/cluster 5001 5002 > nginx.conf
    nginx -p /tmp/cluster -c nginx.conf -g "daemon off;"
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

TEMPLATE = """\
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
{user}
events {{ worker_connections 8192; }}

http {{
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;

    map $cookie_crisis_route $crisis_route {{
        ""      $request_id;
        default $cookie_crisis_route;
    }}
    map $cookie_crisis_route $crisis_route_cookie {{
        ""      "crisis_route=$request_id; Path=/; HttpOnly; SameSite=Lax";
        default "";
    }}
    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ""      close;
    }}

    upstream crisis_sim {{
        hash $crisis_route consistent;
{servers}
    }}

    server {{
        listen 127.0.0.1:{listen};
        client_max_body_size 1m;
        location / {{
            proxy_pass http://crisis_sim;
            proxy_http_version 1.1;
            proxy_set_header Host              $http_host;
            proxy_set_header X-Forwarded-For   $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-Host  $http_host;
            proxy_set_header Upgrade           $http_upgrade;
            proxy_set_header Connection        $connection_upgrade;
            proxy_buffering off;
            proxy_read_timeout 60s;
            proxy_connect_timeout 2s;
            proxy_next_upstream error timeout http_502;
            add_header Set-Cookie $crisis_route_cookie always;
        }}
    }}
}}
"""


def render(ports: list[int], listen: int, prefix: Path) -> str:
    """The configuration text; also makes the prefix's temporary folders."""
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        folder = prefix / "tmp" / name
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o777)  # nginx's workers run as `nobody` when started by root
    servers = "\n".join(
        f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;" for port in ports
    )
    user = "user nobody nogroup;" if os.geteuid() == 0 else ""
    return TEMPLATE.format(prefix=prefix, listen=listen, servers=servers, user=user)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listen", type=int, default=8080)
    parser.add_argument("--prefix", type=Path, required=True)
    parser.add_argument("ports", type=int, nargs="+")
    args = parser.parse_args()
    print(render(args.ports, args.listen, args.prefix.resolve()), end="")


if __name__ == "__main__":
    main()
