"""The newsroom's roles as data: which Django permissions each group holds.

Read by the data migration that creates the groups, and by the tests that check every view and
admin action against them. Permissions are "app_label.codename".
"""

from __future__ import annotations

WRITER = "writer"
EDITOR = "editor"
MODERATOR = "moderator"
ADMINISTRATOR = "administrator"

_WRITER = [
    "editorial.add_post", "editorial.change_post", "editorial.view_post",
    "sections.view_section",
]
_EDITOR = _WRITER + [
    "editorial.delete_post", "editorial.publish_post",
    "editorial.add_postupdate", "editorial.change_postupdate", "editorial.view_postupdate",
    "comments.view_comment", "comments.view_thread",
    "takedowns.view_removalrequest", "takedowns.change_removalrequest", "takedowns.decide_removalrequest",
    "takedowns.view_blockrule", "takedowns.view_auditevent",
    "sections.change_section",
]
_MODERATOR = [
    "comments.view_comment", "comments.change_comment", "comments.delete_comment", "comments.moderate_comment",
    "comments.view_thread", "comments.add_thread", "comments.change_thread",
    "editorial.view_post",
]
# Administrators hold every permission of wiredesk's apps, and manage accounts.
ADMIN_APPS = ["articles", "comments", "editorial", "sections", "sources", "stories", "takedowns"]
_ADMINISTRATOR_EXTRA = [
    "auth.add_user", "auth.change_user", "auth.view_user", "auth.delete_user",
    "auth.view_group", "auth.change_group",
]

ROLES: dict[str, list[str]] = {
    WRITER: _WRITER,
    EDITOR: _EDITOR,
    MODERATOR: _MODERATOR,
    ADMINISTRATOR: _ADMINISTRATOR_EXTRA,  # plus every permission of ADMIN_APPS
}
