import zlib

from django.db import migrations

BANDS, ROWS = 16, 4  # ingest.fingerprint: 64 permutations in 16 bands; fixed forever


def empty_signature_keys() -> list[int]:
    """The band keys every headline-only item used to be indexed under: those of the MinHash of no
    shingles (every value 0xFFFFFFFF). Spelled out here so the migration never changes with the code."""
    chunk = b"\xff" * (4 * ROWS)
    return [(band << 32) | zlib.crc32(chunk, band * 0x9E3779B1 & 0xFFFFFFFF) for band in range(BANDS)]


def forget_empty_band_keys(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    """Index rows that found every headline-only item in the window and meant nothing: gone, as new
    items no longer write them (ingest.fingerprint.band_keys)."""
    apps.get_model("stories", "IndexKey").objects.filter(key__in=empty_signature_keys()).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("stories", "0009_story_settled_size"),
    ]

    operations = [
        migrations.RunPython(forget_empty_band_keys, migrations.RunPython.noop),
    ]
