"""Shared fixtures: the reference framework and the occupation taxonomies are loaded once per test database."""

from __future__ import annotations

import email
import email.policy
import os
import socket
import threading
import time
from pathlib import Path

import pytest

SHARED_DATA = Path(os.environ.get("CBEC_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
ROLES = ("administrator", "director", "teacher", "enterprise_tutor", "student")


def shared_file(*parts: str) -> Path:
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"reference data {path} is absent (../shared/data is not beside the checkout)")
    return path


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from cbec_talent.competencies import services, taxonomies

    with django_db_blocker.unblock():
        framework, _created = services.reference_load()
        from cbec_talent.programmes.services import sample_load

        sample_load(framework=framework)
        taxonomies.import_csco(taxonomies.VENDORED_CSCO.read_bytes())
        esco = SHARED_DATA / "esco-v1.1-occupations" / "occupations_en.csv"
        if esco.exists():
            taxonomies.import_esco(esco.read_bytes())


@pytest.fixture
def reference(db):
    from cbec_talent.competencies.models import Framework

    return Framework.objects.get(code="CBEC-REF", is_reference=True)


@pytest.fixture
def make_user(db):
    from cbec_talent.accounts.models import User, UserRole

    def make(username: str, *roles: str, password: str = "Correct-horse-42"):
        user = User.objects.create_user(username=username, password=password, display_name=username)
        for role in roles:
            UserRole.objects.create(user=user, role=role)
        return user

    return make


@pytest.fixture
def role_users(make_user):
    return {role: make_user(f"u_{role}", role) for role in ROLES}


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def director(client, role_users):
    """The test client signed in as a programme director."""
    client.force_login(role_users["director"])
    return client


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded and generated files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Each test starts with English active outside requests (services' messages are English msgids), whatever
    an earlier test's request activated: a request still picks its own language through the middleware."""
    from django.utils import translation

    with translation.override("en"):
        yield


# A real local SMTP server (aiosmtpd) for the e-mail tests, web and browser alike.


class LocalSmtp:
    def __init__(self, port: int, host: str = "127.0.0.1"):
        self.host, self.port = host, port
        self.messages: list[email.message.EmailMessage] = []
        self._lock = threading.Lock()
        self._controller = None

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 OK"

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self._controller = Controller(self, hostname=self.host, port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()

    def wait_for(self, predicate, timeout: float = 30.0):
        """The first message for which ``predicate(message)`` holds, waiting up to ``timeout`` seconds."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self._lock:
                for m in self.messages:
                    if predicate(m):
                        return m
            time.sleep(0.2)
        raise AssertionError(f"no such e-mail within {timeout} s; received: {[m['subject'] for m in self.messages]}")

    @staticmethod
    def text(message) -> str:
        part = message.get_body(preferencelist=("plain",)) if message.is_multipart() else message
        return part.get_content()


@pytest.fixture(scope="session")
def smtp_server():
    """A real SMTP server on 127.0.0.1 keeping every message it receives (port CBEC_TEST_SMTP_PORT, else free)."""
    port = int(os.environ.get("CBEC_TEST_SMTP_PORT", "0"))
    if not port:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
    server = LocalSmtp(port=port)
    server.start()
    yield server
    server.stop()
