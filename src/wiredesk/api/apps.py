from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "wiredesk.api"
    verbose_name = "JSON API"
