from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "wiredesk.editorial"
    verbose_name = "Newsroom posts"
    default_auto_field = "django.db.models.BigAutoField"
