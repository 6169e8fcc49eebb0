"""Demand-shift alerts: after an import, each competency's, platform's and language's share is compared with the
previous import's; a shifted second batch raises an alert that the directors read in the app and receive by
e-mail (through a real local SMTP server), with the programme's coverage and the optimiser re-run and its diff."""

from __future__ import annotations

import socket

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from cbec_talent.labour_market import alerts, demo, services
from cbec_talent.labour_market.models import DemandShiftAlert


def _import(name: str, data: bytes, framework):
    imp = services.import_create(uploaded_file=SimpleUploadedFile(name, data), framework=framework)
    return services.import_start(posting_import=imp, mapping=imp.mapping, keep_good_rows=False, run_inline=True)


@pytest.fixture
def first_batch(db, reference):
    return demo.create_demo_data()


@pytest.fixture
def director_with_email(role_users):
    user = role_users["director"]
    user.email = "director@example.edu.cn"
    user.save()
    return user


def test_no_alert_for_the_first_import_nor_for_the_same_demand(first_batch, reference, director_with_email):
    assert not DemandShiftAlert.objects.exists()
    _import("same-again.csv", demo.demo_csv().replace(b"\xe7\xa4\xba\xe4\xbe\x8b", b"again"), reference)
    assert not DemandShiftAlert.objects.exists() and not mail.outbox


def test_shifted_batch_raises_an_alert_in_the_app_and_by_email(
    first_batch, reference, director_with_email, client, settings
):
    _import(demo.SHIFTED_FILE_NAME, demo.shifted_csv(), reference)
    alert = DemandShiftAlert.objects.get()
    codes = {(s["kind"], s["code"]): s for s in alert.shifts}
    assert codes[("competency", "DATA.ANALYSIS")]["change"] == pytest.approx(80.0)
    assert ("platform", "tiktok_shop") in codes
    assert all(s["q"] <= 0.05 and abs(s["change"]) >= 5 for s in alert.shifts)
    assert alert.emailed_to == ["director@example.edu.cn"]
    (message,) = mail.outbox
    assert "DATA.ANALYSIS" in message.body and "+80.0" in message.body and "P000-CBEC" in message.body
    assert "需求变化" in message.subject or "Demand" in message.subject
    assert f"/demand/alerts/{alert.pk}/" in message.body

    client.force_login(director_with_email)
    client.post("/i18n/setlang/", {"language": "en"})
    home = client.get("/").content.decode()
    assert f'data-item="alert:{alert.pk}"' in home
    page = client.get(f"/demand/alerts/{alert.pk}/").content.decode()
    assert 'data-code="DATA.ANALYSIS"' in page and 'id="alert-optimise"' in page
    assert "director@example.edu.cn" in page


def test_a_larger_minimum_effect_keeps_small_moves_out(first_batch, reference, director_with_email):
    alerts.alert_setting_update(min_effect_percent=75, alpha=0.05, email=False)
    _import(demo.SHIFTED_FILE_NAME, demo.shifted_csv(), reference)
    alert = DemandShiftAlert.objects.get()
    assert [s["code"] for s in alert.shifts] == ["DATA.ANALYSIS"] and not mail.outbox


def test_alert_settings_form_checks_its_input(client, role_users, db):
    client.force_login(role_users["director"])
    client.post("/i18n/setlang/", {"language": "en"})
    response = client.post("/demand/alerts/", {"min_effect_percent": "0", "alpha": "0.05"})
    assert response.status_code == 200 and "between 0 and 100" in response.content.decode()
    assert alerts.alert_setting()._state.adding is not False or float(alerts.alert_setting().min_effect_percent) != 0
    response = client.post("/demand/alerts/", {"min_effect_percent": "8", "alpha": "0.01", "email": "on"})
    assert response.status_code == 302 and float(alerts.alert_setting().min_effect_percent) == 8.0
    client.force_login(role_users["teacher"])
    assert client.get("/demand/alerts/").status_code == 403


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_email_goes_through_a_real_smtp_server(first_batch, reference, director_with_email, settings, smtp_server):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = smtp_server.host, smtp_server.port
    _import(demo.SHIFTED_FILE_NAME, demo.shifted_csv(), reference)
    alert = DemandShiftAlert.objects.get()
    message = smtp_server.wait_for(lambda m: f"/demand/alerts/{alert.pk}/" in smtp_server.text(m), timeout=10)
    body = smtp_server.text(message)
    assert "director@example.edu.cn" in message["To"]
    assert "DATA.ANALYSIS" in body and "数据分析" in body
    assert alert.emailed_to == ["director@example.edu.cn"]


def test_email_failure_keeps_the_alert_and_says_why(first_batch, reference, director_with_email, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _port(), 2
    _import(demo.SHIFTED_FILE_NAME, demo.shifted_csv(), reference)
    alert = DemandShiftAlert.objects.get()
    assert alert.emailed_to == [] and "Connection" in alert.email_error


def test_optimiser_rerun_from_the_alert_shows_the_programme_diff(
    first_batch, reference, director_with_email, client, django_capture_on_commit_callbacks
):
    from cbec_talent.programmes.models import OptimiserRun, Programme

    _import(demo.SHIFTED_FILE_NAME, demo.shifted_csv(), reference)
    alert = DemandShiftAlert.objects.get()
    programme = Programme.objects.get(code="P000-CBEC")
    client.force_login(director_with_email)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/demand/gap/optimise/?programme={programme.pk}&import={alert.posting_import_id}")
    run = OptimiserRun.objects.get()
    assert response.status_code == 302 and run.weights and run.status == "done"
    assert run.weights.get("DATA.ANALYSIS", 0) > 0
    page = client.get(f"/programmes/{programme.pk}/optimiser/{run.pk}/").content.decode()
    assert 'id="optimiser-diff"' in page and 'data-diff="dropped"' in page


def test_tagging_again_with_new_keywords_raises_an_alert_once(first_batch, reference, director_with_email, role_users):
    """The shifted batch raises its alert; then the framework's keywords change and the import is tagged again:
    the competency whose share moved raises a new alert; tagging again with the same keywords raises none."""
    from cbec_talent.competencies.models import Competency
    from cbec_talent.competencies.services import framework_copy

    own = framework_copy(framework=reference, version="keywords-2")
    second = _import(demo.SHIFTED_FILE_NAME, demo.shifted_csv(), own)
    first_alert = DemandShiftAlert.objects.get()
    before = {(s["kind"], s["code"]): s["change"] for s in first_alert.shifts}.get(("competency", "TRADE.CUSTOMS"), 0)
    assert before <= 0  # the second batch asks for no customs work
    customs = Competency.objects.get(framework=own, code="TRADE.CUSTOMS")
    customs.keywords_zh = [*customs.keywords_zh, "负责"]  # now nearly every new posting asks for customs
    customs.save()
    second.refresh_from_db()
    services.import_retag(posting_import=second, actor=role_users["director"], run_inline=True)
    alert = DemandShiftAlert.objects.exclude(pk=first_alert.pk).get()
    assert alert.posting_import_id == second.pk and alert.previous_id == first_batch.pk
    shift = {(s["kind"], s["code"]): s for s in alert.shifts}[("competency", "TRADE.CUSTOMS")]
    assert shift["change"] > 50 > before and shift["q"] <= 0.05
    assert len(mail.outbox) == 2 and "director@example.edu.cn" in mail.outbox[1].to
    assert "TRADE.CUSTOMS" in mail.outbox[1].body
    second.refresh_from_db()
    services.import_retag(posting_import=second, actor=role_users["director"], run_inline=True)
    assert DemandShiftAlert.objects.count() == 2 and len(mail.outbox) == 2  # nothing new to tell
