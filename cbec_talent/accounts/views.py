import re

from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from cbec_talent.core.access import ALL_ROLES, roles_required

from . import selectors, services


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


@roles_required(*ALL_ROLES)
def home(request):
    return render(request, "home.html", selectors.dashboard_for(request.user))


@roles_required("administrator")
def audit_log(request):
    page = Paginator(selectors.audit_entries(request.GET.get("q", "")[:100]), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/audit_log.html", {"page": page, "q": request.GET.get("q", "")[:100]})


@roles_required(*ALL_ROLES)
@require_POST
def guide_dismiss(request):
    """Hide a guided path of the home page for good (remembered per user)."""
    key = request.POST.get("guide", "")[:40]
    if not re.fullmatch(r"[a-z_]+", key):
        raise Http404
    services.flag_set(user=request.user, key=f"guide_dismissed:{key}")
    return redirect("home")
