from django.db import migrations, models
from django.db.models import F


def existing_stories_count_as_settled(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    """Stories stored before this field are taken as judged at their size: an upgrade does not put
    the whole archive through the settled-story check at once (a story that grows is judged again)."""
    apps.get_model("stories", "Story").objects.update(settled_size=F("size"))


class Migration(migrations.Migration):

    dependencies = [
        ("stories", "0008_member_placed_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="story",
            name="settled_size",
            field=models.PositiveIntegerField(
                default=0, help_text="Its size when it was last judged as a whole for two events (stories.settle)."),
        ),
        migrations.RunPython(existing_stories_count_as_settled, migrations.RunPython.noop),
    ]
