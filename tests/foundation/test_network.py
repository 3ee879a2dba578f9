"""Which address the server tells the room to open, and when it warns that only this machine can."""

from __future__ import annotations

from app.network import classroom_lines, is_loopback, lan_addresses, serves_network, student_urls


def config(host: str = "127.0.0.1", public: str | None = None) -> dict:
    return {"HOST": host, "PORT": 5000, "PUBLIC_URL": public}


def test_public_url_wins_over_every_address() -> None:
    """With PUBLIC_URL set, is it the one address given, whatever the host and the browser used?"""
    cfg = config("0.0.0.0", "https://sim.example.edu/")
    assert student_urls(cfg, "192.168.1.9:5000") == ["https://sim.example.edu"]
    assert serves_network(cfg)
    assert classroom_lines(cfg) == ["  Students join at https://sim.example.edu/join"]


def test_loopback_is_the_default_and_is_said_to_reach_this_machine_only() -> None:
    """Listening on 127.0.0.1, does the server say students cannot reach it, and what to do?"""
    cfg = config()
    assert not serves_network(cfg)
    assert student_urls(cfg) == ["http://127.0.0.1:5000"]
    text = "\n".join(classroom_lines(cfg))
    assert "Only this computer" in text and "make classroom" in text


def test_every_interface_gives_lan_addresses_never_loopback() -> None:
    """Listening on 0.0.0.0, are the addresses shown the LAN ones (loopback only without any)?"""
    cfg = config("0.0.0.0")
    urls = student_urls(cfg)
    addresses = lan_addresses()
    assert all(not a.startswith("127.") for a in addresses)
    if addresses:
        assert urls == [f"http://{a}:5000" for a in addresses]
        assert f"http://{addresses[0]}:5000/join" in "\n".join(classroom_lines(cfg))
    else:
        assert urls == ["http://127.0.0.1:5000"]


def test_the_address_the_browser_used_comes_first_unless_it_is_loopback() -> None:
    """Is the facilitator's own address shown first when it reaches this machine from the room?"""
    cfg = config("0.0.0.0")
    assert student_urls(cfg, "10.0.0.5:5000")[0] == "http://10.0.0.5:5000"
    assert student_urls(cfg, "localhost:5000")[0] != "http://localhost:5000"
    assert all(is_loopback(h) for h in ("127.0.0.1:5000", "[::1]:5000", "localhost", "::1"))
    assert not is_loopback("192.168.1.9:5000")
