"""The JSON API's OpenAPI 3.1 document, served at /api/v1/openapi.json (written out: two read-only
routes do not need a framework to describe them)."""

from __future__ import annotations

_CASE = {"type": "object", "description": "A case in the export schema of `evictwatch export cases` "
                                          "(docs/case-data.md#export-schema)", "additionalProperties": True}
_ERROR = {"description": "why", "content": {"application/json": {"schema": {
    "type": "object", "properties": {"error": {"type": "string"}}}}}}
_AUTH = [{"partnerToken": []}]

DOCUMENT = {
    "openapi": "3.1.0",
    "info": {"title": "evictwatch", "version": "1",
             "description": "A partner's eviction cases, read-only. Each request carries the partner's token "
                            "(`evictwatch tokens add --partner NAME`); it sees the cases that partner's legal-aid "
                            "users see. Every case answered is recorded in the audit trail."},
    "components": {"securitySchemes": {"partnerToken": {"type": "http", "scheme": "bearer"}}},
    "paths": {
        "/api/v1/cases": {"get": {
            "summary": "The partner's cases that changed, oldest change first, a page at a time",
            "security": _AUTH,
            "parameters": [
                {"name": "since", "in": "query", "schema": {"type": "string", "format": "date-time"},
                 "description": "only cases changed at or after this time"},
                {"name": "after", "in": "query", "schema": {"type": "string"},
                 "description": "the `next` of the page read before"},
                {"name": "size", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500,
                                                          "default": 100}},
            ],
            "responses": {
                "200": {"description": "a page", "content": {"application/json": {"schema": {
                    "type": "object", "properties": {"cases": {"type": "array", "items": _CASE},
                                                     "next": {"type": ["string", "null"]}}}}}},
                "400": _ERROR, "401": _ERROR, "403": _ERROR, "429": _ERROR}}},
        "/api/v1/cases/{court}/{number}": {"get": {
            "summary": "One case of the partner",
            "security": _AUTH,
            "parameters": [{"name": "court", "in": "path", "required": True, "schema": {"type": "string"}},
                           {"name": "number", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "the case", "content": {"application/json": {"schema": _CASE}}},
                          "401": _ERROR, "403": _ERROR, "404": _ERROR, "429": _ERROR}}},
    },
}
