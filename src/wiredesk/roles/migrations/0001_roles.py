"""Create the newsroom's groups with their permissions (see wiredesk.roles.definitions)."""

from django.apps.registry import Apps
from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from wiredesk.roles.definitions import ADMIN_APPS, ADMINISTRATOR, ROLES


def create_roles(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    # Permissions are normally created after all migrations; the groups need them now.
    for config in apps.get_app_configs():
        config.models_module = True
        create_permissions(config, verbosity=0, apps=apps)
        config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role, names in ROLES.items():
        group, _ = group_model.objects.get_or_create(name=role)
        wanted = []
        for name in names:
            app_label, codename = name.split(".")
            wanted.append(permission_model.objects.get(content_type__app_label=app_label, codename=codename))
        if role == ADMINISTRATOR:
            wanted += list(permission_model.objects.filter(content_type__app_label__in=ADMIN_APPS))
        group.permissions.set(wanted)


def drop_roles(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("articles", "0003_article_removed_at"),
        ("comments", "0001_initial"),
        ("editorial", "0001_initial"),
        ("sections", "0001_initial"),
        ("sources", "0001_initial"),
        ("stories", "0002_enginelease"),
        ("takedowns", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, drop_roles)]
