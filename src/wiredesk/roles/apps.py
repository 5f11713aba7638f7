from django.apps import AppConfig


class RolesConfig(AppConfig):
    name = "wiredesk.roles"
    verbose_name = "Newsroom roles"
    default_auto_field = "django.db.models.BigAutoField"
