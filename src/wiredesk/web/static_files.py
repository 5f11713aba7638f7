"""Static files with their content's hash in the name, served by WhiteNoise for a year.

`wiredesk run` (and `wiredesk collectstatic` for other servers) collects the stylesheet and the
admin's files into WIREDESK_DATA_DIR/static with hashed, compressed copies; pages then link
`site.<hash>.css`, which WhiteNoise serves with `Cache-Control: max-age=315360000, immutable`, so a
reader's browser or a CDN asks for it once per release. Where nothing was collected (tests, a checkout
used in place), the plain name is linked and served from the app's folder, with a short lifetime.
"""

from __future__ import annotations

from django.contrib.staticfiles.storage import StaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedStaticStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False

    def url(self, name: str | None, force: bool = False) -> str:
        try:
            return super().url(name, force)
        except ValueError:  # not collected: the file's own name, found by the finders
            return StaticFilesStorage.url(self, name)


def collect_if_changed() -> bool:
    """Run collectstatic when the app's static files differ from what was collected last (a new
    release, a first start); a restart with nothing new costs a directory walk, not a second of
    hashing and compressing. Returns whether it collected."""
    import hashlib
    import os
    from pathlib import Path

    from django.conf import settings
    from django.contrib.staticfiles import finders
    from django.core.management import call_command

    listing = hashlib.sha256()
    for finder in finders.get_finders():
        for path, storage in sorted(finder.list(None), key=lambda pair: pair[0]):
            stat = os.stat(storage.path(path))
            listing.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    stamp = Path(settings.STATIC_ROOT) / ".collected"
    if stamp.exists() and stamp.read_text() == listing.hexdigest():
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(listing.hexdigest())
    return True
