from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "wiredesk.web"
    label = "web"
    verbose_name = "Public site"
