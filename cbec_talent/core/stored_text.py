"""Status texts kept in a column (an import's "1200 postings stored.") shown in the reader's language.

A background task writes the text in whatever language was active; the page translates it back: the stored
text is matched against each known message id (English, or its translation in any language of the site),
its figures are taken out and the message is filled again in the active language. A text matching none is
shown as it was stored."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

_PLACEHOLDER = re.compile(r"%\((\w+)\)([sd])")


def _pattern(template: str) -> re.Pattern | None:
    parts, names, pos = [], [], 0
    for m in _PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[pos : m.start()].replace("%%", "%")))
        if m.group(1) in names:
            return None
        names.append(m.group(1))
        parts.append(rf"(?P<{m.group(1)}>-?\d+)" if m.group(2) == "d" else rf"(?P<{m.group(1)}>.+?)")
        pos = m.end()
    parts.append(re.escape(template[pos:].replace("%%", "%")))
    return re.compile("".join(parts), re.S)


@lru_cache(maxsize=64)
def _patterns(templates: tuple[str, ...], language: str) -> list[tuple[str, re.Pattern]]:
    with translation.override(language):
        out = []
        for t in templates:
            p = _pattern(gettext(t))
            if p is not None:
                out.append((t, p))
        return out


def shown(text: str, templates: Iterable[str]) -> str:
    """``text`` (one of ``templates`` filled in, in any site language) in the active language."""
    if not text:
        return text
    templates = tuple(templates)
    for language in ("en", *(code for code, _name in settings.LANGUAGES)):
        for template, pattern in _patterns(templates, language):
            m = pattern.fullmatch(text)
            if m:
                values = {k: int(v) if template.find(f"%({k})d") >= 0 else v for k, v in m.groupdict().items()}
                return gettext(template) % values
    return text
