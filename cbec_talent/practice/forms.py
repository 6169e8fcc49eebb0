import random

from django import forms
from django.utils.translation import gettext_lazy as _

from . import replay as rp
from . import roles as pr


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Session title"), max_length=200)
    scenario = forms.ChoiceField(label=_("Scenario"), choices=())
    seed = forms.IntegerField(
        label=_("Seed (same seed and decisions give the same results)"),
        min_value=0,
        max_value=2**31 - 1,
        required=False,
    )
    rounds = forms.IntegerField(label=_("Rounds"), min_value=1, max_value=52, initial=6)
    round_hours = forms.IntegerField(label=_("Hours per round (deadline)"), min_value=1, max_value=24 * 60, initial=168)
    teams = forms.CharField(
        label=_("Teams, one per line: team name: student usernames separated by commas"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Multi-role sessions: add a role in brackets, e.g. Alpha: student(seller), student2(logistics), "
            "student3(customs_broker). Roles: seller, buyer, logistics, customs_broker, payment. A member without "
            "a role plays the seller; any other role may be given to one member per team; the model plays the "
            "roles nobody takes."
        ),
    )
    multi_role = forms.BooleanField(
        label=_("Multi-role transaction mode (students may play buyer, logistics, customs broker, payment)"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scenario"].choices = rp.scenario_choices()

    def clean_seed(self):
        seed = self.cleaned_data["seed"]
        return random.SystemRandom().randrange(2**31) if seed is None else seed

    def clean_teams(self):
        teams = []
        for number, line in enumerate(self.cleaned_data["teams"].splitlines(), start=1):
            if not line.strip():
                continue
            name, sep, members = line.replace("：", ":").partition(":")
            if not sep:
                raise forms.ValidationError(
                    _("Line %(n)d: write the team name, a colon, then usernames, e.g. Team A: student, student2")
                    % {"n": number}
                )
            users = [u.strip() for u in members.replace("，", ",").split(",") if u.strip()]
            teams.append((name.strip(), users))
        return teams


class DecisionForm(forms.Form):
    """One round's decisions: per product price, ads, reorder and sea freight; per team channel, listings, service."""

    channel = forms.ChoiceField(
        label=_("Direct parcels go by"), choices=[("postal", _("Postal (cheap, slow)")), ("express", _("Express"))]
    )
    lang_en = forms.FloatField(label=_("English listing content level (0-1)"), min_value=0, max_value=1)
    lang_x = forms.FloatField(label=_("Second-language listing content level (0-1)"), min_value=0, max_value=1)
    images = forms.FloatField(label=_("Image quality (0-1)"), min_value=0, max_value=1)
    reply_hours = forms.FloatField(label=_("Customer-service hours this round"), min_value=0, max_value=10_000)

    PER_PRODUCT = ("price", "ads", "reorder", "sea")

    def __init__(self, *args, scenario, **kwargs):
        super().__init__(*args, **kwargs)
        self.products = scenario.products
        self.has_x = any(m.language != "en" for m in scenario.markets)
        if not self.has_x:
            self.fields["lang_x"].required = False
            self.fields["lang_x"].widget = forms.HiddenInput()
        for i, _p in enumerate(self.products):
            self.fields[f"price_{i}"] = forms.FloatField(min_value=0, max_value=5, label=_("Price × reference"))
            self.fields[f"ads_{i}"] = forms.FloatField(min_value=0, max_value=1e6, label=_("Ad budget (CNY)"))
            self.fields[f"reorder_{i}"] = forms.IntegerField(min_value=0, max_value=10**6, label=_("Reorder (units)"))
            self.fields[f"sea_{i}"] = forms.IntegerField(min_value=0, max_value=10**6, label=_("By sea (units)"))

    @classmethod
    def initial_from(cls, fields: dict) -> dict:
        out = {k: fields[k] for k in ("channel", "lang_en", "lang_x", "images", "reply_hours")}
        for key in cls.PER_PRODUCT:
            out.update({f"{key}_{i}": v for i, v in enumerate(fields[key])})
        return out

    def product_rows(self):
        return [(p, [self[f"{key}_{i}"] for key in self.PER_PRODUCT]) for i, p in enumerate(self.products)]

    def to_fields(self) -> dict:
        c = self.cleaned_data
        out = {
            "channel": c["channel"],
            "lang_en": c["lang_en"],
            "lang_x": c.get("lang_x") or 0.0,
            "images": c["images"],
            "reply_hours": c["reply_hours"],
        }
        for key in self.PER_PRODUCT:
            out[key] = [c[f"{key}_{i}"] for i in range(len(self.products))]
        return out


TERM_LABELS = {
    "logistics_price": _("Freight price factor (1 = scenario tariff)"),
    "logistics_effort": _("Reliability effort (0-1; 0.5 = scenario lead times)"),
    "broker_fee": _("Broker fee per declaration (CNY)"),
    "broker_accuracy": _("Classification accuracy effort (0-1)"),
    "payment_fee": _("Payment fee (share of payouts)"),
    "payment_spread": _("FX spread (share)"),
    "buyer_sensitivity": _("Price sensitivity (1 = scenario elasticity)"),
}


class RoleTermsForm(forms.Form):
    """One round's terms of a non-seller role (``roles.ROLE_TERMS``: the engine's RoleDecisions fields)."""

    def __init__(self, *args, role: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.role = role
        for name, (lo, hi) in pr.ROLE_TERMS[role].items():
            self.fields[name] = forms.FloatField(
                label=TERM_LABELS[name], min_value=lo, max_value=hi, help_text=f"{lo:g} – {hi:g}"
            )
