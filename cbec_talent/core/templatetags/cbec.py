from django import template

register = template.Library()


@register.filter
def dictget(mapping, key):
    """{{ mapping|dictget:key }}: a dictionary lookup with a variable key."""
    if not isinstance(mapping, dict):
        return None
    return mapping.get(key)
