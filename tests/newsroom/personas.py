"""Test personas: one user per newsroom role, a signed-up reader with no role, and the outsider
(anonymous). Every view and admin action is checked against all of them."""

from __future__ import annotations

from django.contrib.auth.models import Group, User
from django.test import Client

from wiredesk.roles.definitions import ADMINISTRATOR, EDITOR, MODERATOR, WRITER

PASSWORD = "correct horse battery staple"
STAFF_ROLES = [WRITER, EDITOR, MODERATOR, ADMINISTRATOR]
ALL = [*STAFF_ROLES, "reader", "outsider"]


def make_user(persona: str) -> User | None:
    if persona == "outsider":
        return None
    user = User.objects.create_user(persona, f"{persona}@newsroom.test", PASSWORD, is_staff=persona != "reader")
    if persona in STAFF_ROLES:
        user.groups.add(Group.objects.get(name=persona))
    return user


def client_for(persona: str) -> Client:
    client = Client()
    user = make_user(persona)
    if user is not None:
        client.force_login(user)
    return client
