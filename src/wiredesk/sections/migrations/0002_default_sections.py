"""The sections a fresh site starts with; editors can rename, reorder or add to them in the admin."""

from django.db import migrations

DEFAULTS = [
    ("world", "World", 10, "international, europe, africa, asia, americas, middle east"),
    ("politics", "Politics", 20, "government, elections"),
    ("business", "Business", 30, "economy, markets, finance, companies"),
    ("technology", "Technology", 40, "tech, science & technology"),
    ("science", "Science", 50, "environment, climate, space"),
    ("health", "Health", 60, "medicine, wellbeing"),
    ("sport", "Sport", 70, "sports, football, soccer"),
    ("culture", "Culture", 80, "arts, entertainment, books, film, music"),
]


def create(apps, schema_editor):
    Section = apps.get_model("sections", "Section")
    for slug, name, position, aliases in DEFAULTS:
        Section.objects.get_or_create(slug=slug, defaults={"name": name, "position": position, "aliases": aliases})


def remove(apps, schema_editor):
    apps.get_model("sections", "Section").objects.filter(slug__in=[d[0] for d in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("sections", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
