from django.apps import AppConfig


class SectionsConfig(AppConfig):
    name = "wiredesk.sections"
    label = "sections"
    verbose_name = "Sections"
