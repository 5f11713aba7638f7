"""The OpenAPI 3.1 description of API v1, kept beside the views it describes (a test checks that
every route is described and every described path answers)."""

from __future__ import annotations

from typing import Any

LIMIT = {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}}
SECTION = {"name": "section", "in": "query", "schema": {"type": "string"}}
ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}

ARTICLE = {"type": "object", "required": ["id", "title", "url", "outlet", "credit"], "properties": {
    "id": {"type": "integer"}, "title": {"type": "string"}, "summary": {"type": "string"},
    "url": {"type": "string", "format": "uri", "description": "The primary source: the outlet's own page."},
    "outlet": {"type": "object", "properties": {"name": {"type": "string"}, "slug": {"type": "string"}}},
    "credit": {"type": "string"}, "section": {"type": ["string", "null"]},
    "published_at": {"type": "string", "format": "date-time"}, "page": {"type": "string"},
    "story": {"type": ["integer", "null"]},
    "relation": {"enum": ["duplicate", "wire_copy", "spun_copy", "same_story", None]},
    "related_to": {"type": ["integer", "null"]}}}
STORY = {"type": "object", "properties": {
    "id": {"type": "integer"}, "title": {"type": "string"}, "size": {"type": "integer"},
    "outlets": {"type": "integer"}, "first_seen": {"type": "string", "format": "date-time"},
    "last_updated": {"type": "string", "format": "date-time"}, "primary_article": {"type": ["integer", "null"]},
    "primary_agency": {"type": ["string", "null"]}, "page": {"type": "string"}}}


def _ok(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def openapi() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "wiredesk API", "version": "1",
                 "description": "Read-only. Every article carries its primary source URL and credit."},
        "paths": {
            "/api/v1/articles": {"get": {"summary": "Latest articles, or a search", "parameters": [
                LIMIT, SECTION, {"name": "outlet", "in": "query", "schema": {"type": "string"}},
                {"name": "q", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": _ok({"type": "object", "properties": {"articles": {"type": "array", "items": ARTICLE}}}, "Articles"),
                              "400": {"description": "A bad parameter"}}}},
            "/api/v1/articles/{id}": {"get": {"summary": "One article", "parameters": [ID], "responses": {
                "200": _ok(ARTICLE, "The article"), "404": {"description": "No such article"},
                "410": {"description": "Removed at the rights holder's request"}}}},
            "/api/v1/stories": {"get": {"summary": "Top stories by breadth and recency", "parameters": [LIMIT, SECTION],
                                        "responses": {"200": _ok({"type": "object", "properties": {
                                            "stories": {"type": "array", "items": STORY}}}, "Stories")}}},
            "/api/v1/stories/{id}": {"get": {"summary": "One story with its full coverage", "parameters": [ID],
                                             "responses": {"200": _ok(STORY, "The story and its coverage"),
                                                           "404": {"description": "No such story"}}}},
            "/api/v1/posts": {"get": {"summary": "The newsroom's published posts", "parameters": [LIMIT, SECTION],
                                      "responses": {"200": _ok({"type": "object"}, "Posts")}}},
            "/api/v1/openapi.json": {"get": {"summary": "This description",
                                             "responses": {"200": _ok({"type": "object"}, "OpenAPI 3.1")}}},
        },
    }
