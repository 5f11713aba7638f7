from django.apps import AppConfig


class TakedownsConfig(AppConfig):
    name = "wiredesk.takedowns"
    verbose_name = "Takedown desk"
    default_auto_field = "django.db.models.BigAutoField"
