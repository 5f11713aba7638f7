from django.contrib import admin

from wiredesk.sections.models import Section


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "position", "aliases")
    list_editable = ("position",)
    prepopulated_fields = {"slug": ("name",)}
