"""The public removal request form: strict validation, so a bad submission stores nothing."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from wiredesk.core.text import has_control_characters
from wiredesk.takedowns.models import RemovalRequest

MAX_URLS = 50
_DOMAIN = re.compile(r"^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def _clean_text(value: str) -> str:
    """Control characters have no place in a name or a statement; they are refused, not stripped."""
    if has_control_characters(value):
        raise ValidationError("Please remove control characters from this field.")
    return value.strip()


class RemovalRequestForm(forms.Form):
    requester_name = forms.CharField(label="Your name", max_length=200)
    organisation = forms.CharField(label="Organisation", max_length=200, required=False)
    email = forms.EmailField(label="Contact email", max_length=254,
                             help_text="We send a confirmation link here. It is never shown on the site.")
    urls = forms.CharField(label="Addresses of the content", required=False, max_length=MAX_URLS * 2100,
                           widget=forms.Textarea(attrs={"rows": 5}),
                           help_text=f"One address per line, at most {MAX_URLS}: the outlet's page or ours.")
    domain = forms.CharField(label="Or a whole domain", max_length=253, required=False,
                             help_text="e.g. example.com: everything from it is removed and never taken again.")
    relationship = forms.ChoiceField(label="Your relationship to the content", choices=RemovalRequest.Relationship.choices)
    statement = forms.CharField(label="Statement", min_length=20, max_length=5000, widget=forms.Textarea(attrs={"rows": 6}),
                                help_text="Why it should be removed, and on what authority you ask.")
    website = forms.CharField(required=False, label="Leave this field empty",
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    def clean_requester_name(self) -> str:
        return _clean_text(self.cleaned_data["requester_name"])

    def clean_organisation(self) -> str:
        return _clean_text(self.cleaned_data["organisation"])

    def clean_statement(self) -> str:
        return _clean_text(self.cleaned_data["statement"])

    def clean_urls(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["urls"].splitlines() if line.strip()]
        if len(lines) > MAX_URLS:
            raise ValidationError(f"At most {MAX_URLS} addresses per request; send another request for the rest.")
        check = URLValidator(schemes=["http", "https"])
        bad = []
        for line in lines:
            try:
                check(line)
            except ValidationError:
                bad.append(line[:80])
        if bad:
            raise ValidationError(f"Not a web address: {', '.join(bad[:3])}")
        return list(dict.fromkeys(lines))

    def clean_domain(self) -> str:
        domain = self.cleaned_data["domain"].strip().lower().rstrip(".").removeprefix("www.")
        if domain and not _DOMAIN.match(domain):
            raise ValidationError("Give a domain name such as example.com, without http:// or a path.")
        return domain

    def clean_website(self) -> str:
        if self.cleaned_data["website"]:
            raise ValidationError("This field must be left empty.")
        return ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not data.get("urls") and not data.get("domain"):
            raise ValidationError("Name at least one address, or a domain.")
        return data

    def request_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {key: data[key] for key in ("requester_name", "organisation", "email", "urls", "domain",
                                           "relationship", "statement")}
