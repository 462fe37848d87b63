"""The OpenAPI 3.1 description of the web API, served at ``GET /api/openapi.json`` (docs/web.md explains it)."""

from __future__ import annotations

from .. import __version__

_DRAFT = {
    "type": "object",
    "properties": {
        "text": {"type": "string", "description": "The draft (use this or `data`)."},
        "data": {"type": "string", "contentEncoding": "base64",
                 "description": "A file's bytes in base64 (.docx, a file in GB18030 …); use this or `text`."},
        "filename": {"type": "string", "default": "draft.txt",
                     "description": "A bare file name; its extension picks the reader. Paths are refused."},
        "markets": {"type": "array", "items": {"type": "string"},
                    "description": "Market codes; empty: the front matter's `market:`."},
        "lang": {"enum": ["en", "zh"], "default": "en", "description": "Interface language of messages."},
        "encoding": {"type": "string", "description": "Decode `data` (or encode `text`) with this codec."},
        "date": {"type": "string", "format": "date", "description": "Show date (as --date)."},
        "start": {"type": "string", "pattern": "^\\d{1,2}:\\d{2}$", "description": "Local start time."},
        "timezone": {"type": "string"},
        "platform": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
        "sponsored": {"type": "boolean"},
        "meta": {"type": "object", "description": "Any document metadata key (flags win over front matter)."},
        "select": {"type": "array", "items": {"type": "string"}},
        "ignore": {"type": "array", "items": {"type": "string"}},
        "scores": {"type": "boolean", "default": False,
                   "description": "Fill `scores` as `culture-lint score` does (check leaves them {})."},
        "quick": {"type": "boolean", "default": False,
                  "description": "For a draft being typed: whole-document rules (required disclosures, limits, "
                                 "cadence, missed festivals) keep their findings from the last exact check of this "
                                 "file name, moved to where the edit put them; every other finding is exact. "
                                 "`details.exact` says whether the result equals `culture-lint check`; the page "
                                 "follows with an exact /api/score."},
        "details": {"type": "boolean", "default": False,
                    "description": "Add a top-level `details` object for the page (metadata, decoded source, "
                                   "segment times, the fired rules' why)."},
    },
}
_ERROR = {"type": "object", "required": ["error"],
          "properties": {"error": {"type": "object", "required": ["status", "message"],
                                   "properties": {"status": {"type": "integer"}, "message": {"type": "string"},
                                                  "field": {"type": "string"}}}}}
_V1 = {"$ref": "#/components/schemas/OutputV1"}


def _errors(*codes: int) -> dict:
    text = {400: "Bad request: the message says which field.", 403: "Foreign Host or Origin.",
            413: "Body over the limit (--max-body).", 409: "No live session.", 415: "Binary file.",
            422: "The file cannot be decoded."}
    return {str(c): {"description": text[c], "content": {"application/json": {"schema": _ERROR}}} for c in codes}


def _post(summary: str, response: dict, *errors: int, extra: dict | None = None) -> dict:
    schema = dict(_DRAFT)
    if extra:
        schema = {"allOf": [_DRAFT, {"type": "object", "properties": extra}]}
    return {"post": {
        "summary": summary,
        "requestBody": {"required": True, "content": {"application/json": {"schema": schema}}},
        "responses": {"200": {"description": "OK", "content": response}, **_errors(400, 403, 413, *errors)},
    }}


def _get(summary: str, params: list[tuple[str, str]], schema: dict | None = None) -> dict:
    return {"get": {
        "summary": summary,
        "parameters": [{"name": n, "in": "query", "required": False, "schema": {"type": "string"},
                        "description": d} for n, d in params],
        "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": schema or {
            "type": "object"}}}}, **_errors(400, 403)},
    }}


def spec() -> dict:
    v1 = {"application/json": {"schema": _V1}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "culture-lint web API", "version": __version__,
                 "description": "The API of `culture-lint serve`, used by its page. Responses of check, score and "
                                "fix are the contract-v1 JSON of `culture-lint check --format json`."},
        "paths": {
            "/api/check": _post("Lint a draft: the JSON of `culture-lint check --format json`.", v1),
            "/api/score": _post("Lint and score: the JSON of `culture-lint score --format json`.", v1),
            "/api/fix": _post("Apply the safe fixes (as `culture-lint fix`); `fix.data` is the fixed file in its "
                              "own encoding, base64.", v1, 415, 422,
                              extra={"unsafe_fixes": {"type": "boolean", "default": False}}),
            "/api/report": _post("A report file in any output format.", {
                "application/octet-stream": {"schema": {"type": "string"}}},
                extra={"format": {"enum": ["json", "sarif", "html", "text", "junit", "gitlab", "concise",
                                           "github"]}}),
            "/api/rules": _get("Browse rules.", [("market", "market code (repeatable or comma list)"),
                                                 ("category", "category"), ("language", "pattern language"),
                                                 ("q", "words in id, message, why, source or examples"),
                                                 ("lang", "en or zh"), ("limit", "at most this many (200)")]),
            "/api/calendar": _get("The `culture-lint calendar --format json` document.", [
                ("market", "market codes"), ("from", "first day YYYY-MM-DD"), ("days", "1–3660 (30)"),
                ("lang", "en or zh")]),
            "/api/markets": _get("Markets and region packs.", []),
            "/api/ui": _get("The page's strings in the interface language.", [("lang", "en or zh")]),
            "/api/live/session": {"post": {"summary": "Start (or restart) the live desk's session.",
                                           "requestBody": {"content": {"application/json": {"schema": {
                                               "type": "object", "properties": {
                                                   "markets": {"type": "array", "items": {"type": "string"}},
                                                   "lang": {"enum": ["en", "zh"]}}}}}},
                                           "responses": {"200": {"description": "The session state."},
                                                         **_errors(400, 403)}}},
            "/api/live/events": {"post": {"summary": "Caption events {t, track, text, final, lang}: one object, a "
                                                     "list or JSON lines.",
                                          "responses": {"200": {"description": "The alerts they raised."},
                                                        **_errors(400, 403, 409, 413)}}},
            "/api/live/stream": {"get": {"summary": "Server-sent events: state, alert, score, reset.",
                                         "parameters": [{"name": "limit", "in": "query",
                                                         "schema": {"type": "integer"}}],
                                         "responses": {"200": {"description": "text/event-stream"}}}},
            "/api/live/state": _get("The live session so far.", []),
        },
        "components": {"schemas": {"OutputV1": {
            "description": "culture-lint JSON output, contract version 1 (tests/schemas/"
                           "culture-lint-output-v1.schema.json), plus the optional `details` and `fix` objects.",
            "type": "object", "required": ["version", "tool", "markets", "files", "summary"]}}},
    }
