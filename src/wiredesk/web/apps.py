from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "wiredesk.web"
    label = "web"
    verbose_name = "Public site"

    def ready(self) -> None:
        """Every change a reader could see retires the cached pages (web.page_cache)."""
        from django.db.models.signals import post_delete, post_save

        from wiredesk.core.signals import content_changed
        from wiredesk.web import page_cache

        def changed(**_: object) -> None:
            page_cache.bump()

        content_changed.connect(changed, weak=False, dispatch_uid="page-cache-content")
        # Stories are not here: they are saved only by the story stage and by takedowns, which both
        # announce content_changed once per batch; a receiver per story save would add two writes
        # to every placed article.
        for label in ("articles.Article", "editorial.Post", "editorial.PostUpdate",
                      "comments.Comment", "sections.Section", "sources.Outlet", "takedowns.RemovalRequest"):
            model = self.apps.get_model(label)
            post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"page-cache-save-{label}")
            post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"page-cache-delete-{label}")
