"""Printable PDFs from HTML with WeasyPrint, Chinese included (Noto Sans CJK), nothing fetched from outside.

The URL fetcher serves only our own static files; `file://`, `http(s)://` and every other scheme are refused, so
a hostile string in a document cannot make the server read local files or call out.
"""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .errors import CbecError

STATIC_PREFIX = "cbec-static:"
CJK_FONT_STACK = '"Noto Sans CJK SC", "Noto Sans SC", "Noto Serif CJK SC", "WenQuanYi Zen Hei", sans-serif'


def safe_url_fetcher(url: str, timeout: int = 10, ssl_context=None):
    if url.startswith(STATIC_PREFIX):
        path = finders.find(url[len(STATIC_PREFIX) :].lstrip("/"))
        if path:
            with open(path, "rb") as fh:
                return {"string": fh.read(), "mime_type": None}
    raise ValueError(f"refused to fetch {url[:80]!r}")


def cjk_font_available() -> bool:
    import subprocess

    try:
        out = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(out.strip())


def render_pdf(template: str, context: dict) -> bytes:
    """Render a template to PDF bytes. Raises CbecError when PDF support is not installed on this machine."""
    try:
        from weasyprint import HTML
    except OSError:  # Pango missing
        raise CbecError(_("PDF output needs the Pango library (Debian: libpango-1.0-0).")) from None
    if not cjk_font_available():
        raise CbecError(_("PDF output needs a Chinese font (Debian: fonts-noto-cjk)."))
    html = render_to_string(template, {**context, "cjk_font_stack": CJK_FONT_STACK})
    return HTML(string=html, url_fetcher=safe_url_fetcher, base_url=STATIC_PREFIX).write_pdf()
