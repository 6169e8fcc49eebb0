from django import template

register = template.Library()


@register.filter
def dictget(mapping, key):
    """{{ mapping|dictget:key }}: a dictionary lookup with a variable key."""
    if not isinstance(mapping, dict):
        return None
    return mapping.get(key)


@register.filter
def in_language(text):
    """{{ text|in_language }}: of a bilingual text ({"zh": ..., "en": ...} or an object with .zh and .en), the
    reader's language (the other one when it is empty)."""
    from cbec_talent.core.models import pick_language

    if text is None:
        return ""
    if isinstance(text, dict):
        return pick_language(text.get("zh") or "", text.get("en") or "")
    return pick_language(getattr(text, "zh", "") or "", getattr(text, "en", "") or "")
