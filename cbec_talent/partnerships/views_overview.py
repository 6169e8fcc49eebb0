"""The directors' overview of the alliance: enterprises, agreements (active, expiring), internship seats against
applications and placements, internships with open consistency findings, and how full the order classes are."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from cbec_talent.core.access import roles_required
from cbec_talent.core.excel import SheetSpec, write_workbook

from .access import STAFF_ROLES
from .selectors import overview_figures

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def chart_data(fig: dict) -> dict:
    return {
        "labels": {
            "enterprises": _("Enterprises"),
            "active": _("Active"),
            "expiring": _("Expiring within 90 days"),
            "inactive": _("Not active"),
            "seats": _("Seats"),
            "applications": _("Applications"),
            "placed": _("Placed"),
            "quota": _("Quota"),
            "selected": _("Selected (published)"),
            "pending": _("Selected (not yet published)"),
        },
        "by_size": fig["by_size"],
        "by_city": fig["by_city"],
        "by_platform": fig["by_platform"],
        "kinds": [
            {
                "name": k["label"],
                "active": k["active"] - k["expiring"],
                "expiring": k["expiring"],
                "inactive": k["total"] - k["active"],
            }
            for k in fig["kinds"]
        ],
        "per_enterprise": fig["per_enterprise"],
        "quota": [
            {"name": str(q["agreement"]), "quota": q["quota"] or 0, "selected": q["selected"], "pending": q["pending"]}
            for q in fig["quota"]
        ],
    }


@roles_required(*STAFF_ROLES)
def overview(request):
    fig = overview_figures()
    return render(request, "partnerships/overview.html", {"fig": fig, "chart": chart_data(fig)})


@roles_required(*STAFF_ROLES)
def overview_export(request):
    fig = overview_figures()
    enterprises = [
        (
            e.name,
            e.city,
            e.get_size_display(),
            ", ".join(map(str, e.platforms or [])),
            ", ".join(map(str, e.markets or [])),
        )
        for e in fig["enterprises"]
    ]
    kinds = [(k["label"], k["total"], k["active"], k["expiring"]) for k in fig["kinds"]]
    expiring = [
        (
            x["agreement"].enterprise.name,
            x["agreement"].get_kind_display(),
            x["agreement"].title,
            x["agreement"].end,
            x["days"],
        )
        for x in fig["expiring"]
    ]
    posts = [(p.enterprise.name, p.title, p.seats, p.n_applications, p.n_placed, p.start, p.end) for p in fig["posts"]]
    findings = [
        (f["placement"].student.number, f["placement"].student.name, str(f["placement"].post), "\n".join(f["findings"]))
        for f in fig["findings"]
    ]
    quota = [
        (q["agreement"].enterprise.name, q["agreement"].title, q["quota"], q["selected"], q["pending"], q["percent"])
        for q in fig["quota"]
    ]
    data = write_workbook(
        [
            (
                SheetSpec(_("Enterprises")[:31], [_("Enterprise"), _("City"), _("Size"), _("Platforms"), _("Markets")]),
                enterprises,
            ),
            (
                SheetSpec(_("Agreements")[:31], [_("Kind"), _("Total"), _("Active"), _("Expiring within 90 days")]),
                kinds,
            ),
            (
                SheetSpec(
                    _("Expiring agreements")[:31],
                    [_("Enterprise"), _("Kind"), _("Agreement title"), _("End"), _("Days left")],
                ),
                expiring,
            ),
            (
                SheetSpec(
                    _("Internship posts")[:31],
                    [_("Enterprise"), _("Post"), _("Seats"), _("Applications"), _("Placed"), _("Start"), _("End")],
                ),
                posts,
            ),
            (SheetSpec(_("Findings")[:31], [_("Student number"), _("Name"), _("Post"), _("Findings")]), findings),
            (
                SheetSpec(
                    _("Order-class quota")[:31],
                    [
                        _("Enterprise"),
                        _("Agreement"),
                        _("Quota"),
                        _("Selected (published)"),
                        _("Selected (not yet published)"),
                        _("Fill (%)"),
                    ],
                ),
                quota,
            ),
        ]
    )
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="alliance-overview.xlsx"'
    return response
