"""The "Leave a reply" form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from wiredesk.core.text import has_control_characters


class CommentForm(forms.Form):
    name = forms.CharField(max_length=80)
    email = forms.EmailField(required=False, help_text="Optional; never shown.")
    body = forms.CharField(label="Reply", min_length=2, max_length=3000, widget=forms.Textarea(attrs={"rows": 5}))
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    website = forms.CharField(required=False, label="Leave this field empty",
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    def clean_name(self) -> str:
        return _plain(self.cleaned_data["name"])

    def clean_body(self) -> str:
        return _plain(self.cleaned_data["body"])

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("website"):  # people never see this field; form-filling robots do
            raise ValidationError("The field “Leave this field empty” must be left empty.")
        return data


def _plain(value: str) -> str:
    if has_control_characters(value):
        raise ValidationError("Please remove control characters.")
    value = value.strip()
    if not value:
        raise ValidationError("This field is required.")
    return value
