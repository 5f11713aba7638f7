from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "wiredesk.metrics"
    default_auto_field = "django.db.models.BigAutoField"
