from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "wiredesk.articles"
    label = "articles"
    verbose_name = "Aggregated articles"
