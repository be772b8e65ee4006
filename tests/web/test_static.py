"""The pages' own stylesheet is served from the app (no CDN), found by Django's staticfiles."""

from __future__ import annotations

from django.contrib.staticfiles import finders


def test_the_stylesheet_is_found_by_staticfiles() -> None:
    assert finders.find("luoshi/app.css")


def test_the_stylesheet_asks_for_nothing_outside() -> None:
    from pathlib import Path

    import luoshi

    css = (Path(luoshi.__file__).parent / "static/luoshi/app.css").read_text()
    assert "@import" not in css and "url(" not in css and "http" not in css
