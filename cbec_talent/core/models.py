"""Shared model pieces: timestamps and bilingual text."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language


def pick_language(zh: str, en: str) -> str:
    """The text in the active language, falling back to the other one."""
    lang = (get_language() or "zh-hans").lower()
    if lang.startswith("en"):
        return en or zh
    return zh or en


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class BilingualNameMixin:
    """Models with name_zh / name_en get `name`; with descriptor_zh / descriptor_en get `descriptor`."""

    @property
    def name(self) -> str:
        return pick_language(self.name_zh, self.name_en)

    @property
    def descriptor(self) -> str:
        return pick_language(getattr(self, "descriptor_zh", ""), getattr(self, "descriptor_en", ""))
