from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from tests.newsroom.personas import client_for


@pytest.fixture
def as_persona():  # type: ignore[no-untyped-def]
    """as_persona("editor") -> a test client logged in as that role (or anonymous for "outsider")."""
    made: dict[str, Client] = {}

    def get(persona: str) -> Client:
        if persona not in made:
            made[persona] = client_for(persona)
        return made[persona]

    return get


@pytest.fixture(autouse=True)
def memory_mail(settings):  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
