"""The API documentation page runs under the site's one Content Security Policy (issue 6, section 5)."""

from __future__ import annotations

import re

from django.test import Client

from tests.conftest import sign_in


def test_api_docs_carry_the_same_strict_policy_as_every_other_page(world):
    client = sign_in(Client(), world.partnership_admin)
    docs = client.get("/api/docs/")
    home = client.get("/")
    assert docs.status_code == 200
    assert docs["Content-Security-Policy"] == home["Content-Security-Policy"]
    assert "unsafe-inline" not in docs["Content-Security-Policy"]
    assert "style-src 'self'" in docs["Content-Security-Policy"]


def test_api_docs_have_no_inline_style_or_script(world):
    html = sign_in(Client(), world.partnership_admin).get("/api/docs/").content.decode()
    assert "<style" not in html
    assert " style=" not in html
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts and all("src=" in attributes and not body.strip() for attributes, body in scripts)
    assert "/static/safeboard/api-docs.css" in html
