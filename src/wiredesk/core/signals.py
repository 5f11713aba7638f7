"""Domain signals: stages announce what changed, and whoever keeps derived state listens.

`content_changed` is sent after ingest stores articles or page text, the story stage places
articles, or a takedown removes one: anything a reader of the public site would see. The public
site's page cache (wiredesk.web.page_cache) listens; ingest and the stories never import it.
"""

from __future__ import annotations

from django.dispatch import Signal

content_changed = Signal()
