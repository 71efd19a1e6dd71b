"""What a test project's build wrote, read back."""

from __future__ import annotations


def built_page(app, page: str) -> str:
    """The HTML a test project's build wrote for ``page``."""
    return (app.outdir / f"{page}.html").read_text(encoding="utf-8")
