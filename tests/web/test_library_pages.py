"""The scenario library's pages: shells for facilitators only, which carry a token and never
render a slug from the address as markup."""

from __future__ import annotations

import re


def _signed_in(app):  # type: ignore[no-untyped-def]
    client = app.test_client()
    page = client.get("/signin").get_data(as_text=True)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    client.post(
        "/signin?next=/console",
        data={"name": "Prof. Tanaka", "password": "correct horse battery", "csrf": csrf},
    )
    return client


def test_library_pages_need_a_facilitator(app) -> None:
    """Are the library and the editor closed to someone who has not signed in?"""
    client = app.test_client()
    for path in ("/console/library", "/console/library/trilateral-2023"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/signin" in response.headers["Location"]


def test_library_pages_carry_a_token_and_their_script(app, facilitator) -> None:
    """Do the library and the editor render with a facilitator token and their module?"""
    client = _signed_in(app)
    library = client.get("/console/library").get_data(as_text=True)
    assert re.search(r'data-token="f\.[^"]+"', library)
    assert "js/library.js" in library
    editor = client.get("/console/library/trilateral-2023").get_data(as_text=True)
    assert 'data-slug="trilateral-2023"' in editor
    assert "js/editor.js" in editor


def test_the_console_links_to_the_library(app, facilitator) -> None:
    """Can a facilitator find the library from the sessions page?"""
    page = _signed_in(app).get("/console").get_data(as_text=True)
    assert 'href="/console/library"' in page


def test_a_hostile_slug_in_the_address_stays_text(app, facilitator) -> None:
    """Is a slug with markup in the editor's address escaped, never rendered as markup?"""
    client = _signed_in(app)
    page = client.get('/console/library/%3Cimg%20src=x%20onerror="alert(1)"%3E').get_data(
        as_text=True
    )
    assert "<img src=x" not in page
    assert "&lt;img src=x" in page
