"""Home-page cards of teacher development: the share of dual-qualified school teachers (staff), or the link to
one's own profile (an enterprise tutor with a profile)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from cbec_talent.core.access import has_any_role

from . import selectors
from .access import STAFF_ROLES
from .models import Teacher


def cards(user) -> list[dict]:
    if has_any_role(user, STAFF_ROLES):
        dual, school = selectors.dual_share()
        return [
            {
                "key": "dual_qualified",
                "value": f"{round(100 * dual / school, 1):g}%" if school else "—",
                "label": _("Dual-qualified school teachers"),
                "url": reverse("faculty:index"),
            },
            {
                "key": "part_time_teachers",
                "value": Teacher.objects.filter(kind=Teacher.Kind.ENTERPRISE).count(),
                "label": _("Enterprise part-time teachers"),
                "url": reverse("faculty:courses"),
            },
        ]
    if user.has_role("enterprise_tutor") and Teacher.objects.filter(user=user).exists():
        return [
            {
                "key": "my_teacher_profile",
                "value": "✓",
                "label": _("My teacher profile"),
                "url": reverse("faculty:mine"),
            }
        ]
    return []
