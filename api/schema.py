"""How the OpenAPI schema describes the token authentication."""

import re
from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from .problems import PROBLEM_JSON, PROBLEMS, TYPE_PREFIX


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Per-organisation API token: `Token <key>`.",
        }


ERROR_COMPONENTS = {
    "Error": {
        "type": "object",
        "description": "Why the request was refused.",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    "FieldErrors": {
        "type": "object",
        "description": (
            "What was wrong with the request: each offending field (or `non_field_errors`, or "
            "`detail` for a body that is not JSON) with its messages; a list's items by position."
        ),
        "additionalProperties": True,
    },
    "Conflict": {
        "type": "object",
        "description": (
            "The update's state does not allow this now: the version sent is stale (`version` "
            "gives the current one), its status does not allow the transition, or its period "
            "is locked."
        ),
        "properties": {"detail": {"type": "string"}, "version": {"type": "integer"}},
        "required": ["detail"],
    },
}


PROBLEM_COMPONENT = {
    "Problem": {
        "type": "object",
        "description": (
            "RFC 9457 problem details, sent instead of the error's usual body to a client that "
            "accepts `application/problem+json`."
        ),
        "properties": {
            "type": {"type": "string", "description": "`" + TYPE_PREFIX + "<code>`."},
            "code": {"type": "string", "enum": sorted(PROBLEMS)},
            "title": {"type": "string", "description": "The code in words, translated."},
            "status": {"type": "integer"},
            "detail": {"type": "string", "description": "This occurrence, translated."},
            "instance": {"type": "string"},
            "errors": {
                "type": "object",
                "description": "For a refused request: each field's errors, with their codes.",
                "additionalProperties": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
                        "required": ["code", "message"],
                    },
                },
            },
            "version": {"type": "integer", "description": "With `stale_version`."},
            "problems": {"type": "array", "items": {}, "description": "With `import_rejected`."},
        },
        "required": ["type", "code", "title", "status", "detail"],
    }
}


def _header(description: str, schema: dict | None = None) -> dict:
    return {"description": description, "schema": schema or {"type": "string"}}


RATE_HEADERS = {
    "RateLimit-Policy": _header('The quota: `"default";q=<requests>;w=<seconds>`.'),
    "RateLimit": _header(
        'Where the caller stands: `"default";r=<requests left>;t=<seconds until more>`.'
    ),
}
READ_HEADERS = {
    "ETag": _header(
        "A strong validator of this body (`-gzip` appended when it went compressed): send it "
        "back in If-None-Match."
    ),
    "Last-Modified": _header(
        "When this caller first got this body here; send it back in If-Modified-Since."
    ),
    "Cache-Control": _header("`private, no-cache`: keep it, but ask again before using it."),
}
CONDITIONAL_PARAMETERS = [
    {
        "in": "header",
        "name": "If-None-Match",
        "required": False,
        "schema": {"type": "string"},
        "description": "ETags you hold: 304 without a body when one is still current.",
    },
    {
        "in": "header",
        "name": "If-Modified-Since",
        "required": False,
        "schema": {"type": "string"},
        "description": "An HTTP date: 304 when the body has not changed since (ignored beside "
        "If-None-Match).",
    },
]
NOT_MODIFIED = {
    "description": "Not modified: the body you hold (named by If-None-Match or "
    "If-Modified-Since) is current.",
    "headers": {
        "ETag": READ_HEADERS["ETag"],
        "Last-Modified": READ_HEADERS["Last-Modified"],
        **RATE_HEADERS,
    },
}


def _error(description: str, component: str = "Error") -> dict:
    return {
        "description": description,
        "content": {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}},
            PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}},
        },
    }


BAD_REQUEST = _error(
    "The request is malformed or breaks a rule; nothing was stored.", "FieldErrors"
)
UNAUTHENTICATED = _error("No credentials, or a token that is not valid or was revoked.")
FORBIDDEN = _error("The caller may see this but not do it (a read token, a missing role).")
NOT_FOUND = _error("Nothing the caller may see answers to this (or the page is past the last).")
CONFLICT = _error("The update's state does not allow this now.", "Conflict")
UNSUPPORTED = _error("The body is not JSON.")
REUSED_KEY = _error(
    "The Idempotency-Key was used, within 24 hours, for another request by this caller."
)
TOO_LARGE = _error("The request is too large to be sent with an Idempotency-Key.")
IDEMPOTENCY_KEY = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[ -~]+$"},
    "description": (
        "Makes the write happen once: the same key with the same request within 24 hours "
        "answers the first answer again (with `Idempotent-Replayed: true`) instead of writing "
        "twice; with another request, 422; while the first still runs, 409. Answers 401, 403, "
        "429 and 5xx are not kept, so a retry runs."
    ),
}
REPLAYED_HEADER = {
    "Idempotent-Replayed": {
        "description": "`true` when this is the kept answer to an earlier request with the "
        "same Idempotency-Key.",
        "schema": {"type": "string", "enum": ["true"]},
    }
}
THROTTLED = {
    **_error("Too many requests from this token; try again after Retry-After seconds."),
    "headers": {
        "Retry-After": _header("Seconds to wait.", {"type": "integer"}),
        **RATE_HEADERS,
    },
}


def _blank_allowed_by_pattern(field: dict) -> dict:
    """A text that may be blank is written as oneOf [pattern, empty]; where the pattern itself
    allows the empty text, both branches match "" and oneOf would call it invalid."""
    branches = field.get("oneOf", [])
    if (
        len(branches) == 2
        and branches[1] == {"type": "string", "maxLength": 0}
        and re.fullmatch(branches[0].get("pattern", ""), "")
    ):
        merged = {key: value for key, value in field.items() if key != "oneOf"}
        return {**merged, **branches[0]}
    return field


def _declare_files(responses: dict) -> None:
    """XML, CSV and octet-stream answers are files: declared as binary, and XML also as
    text/xml (sent to a client that asks for it), so that a generated client keeps their
    type."""
    for response in responses.values():
        contents = response.get("content", {})
        for media_type, content in contents.items():
            if media_type in ("application/xml", "text/csv", "application/octet-stream"):
                content["schema"] = {"type": "string", "format": "binary"}
        if "application/xml" in contents:
            # The same document as text/xml, for clients (and generators) that read text.
            contents["text/xml"] = {"schema": {"type": "string"}}


def document_errors(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """Every status each operation can answer, with its body, and request bodies that refuse
    fields they do not know."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(ERROR_COMPONENTS)
    schemas.update(PROBLEM_COMPONENT)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            _declare_files(responses)
            if method == "get":
                operation.setdefault("parameters", []).extend(CONDITIONAL_PARAMETERS)
                responses.setdefault("304", NOT_MODIFIED)
            for code, response in responses.items():
                if code.startswith("2"):
                    headers = response.setdefault("headers", {})
                    headers.update(RATE_HEADERS)
                    if method == "get":
                        headers.update(READ_HEADERS)
            errors = {"401": UNAUTHENTICATED, "429": THROTTLED}
            if "{id}" in path or method == "get":
                errors["404"] = NOT_FOUND
            if method == "get" and "{id}" not in path:
                errors["400"] = BAD_REQUEST
            if method in ("post", "patch", "put", "delete"):
                errors.update({"400": BAD_REQUEST, "403": FORBIDDEN, "404": NOT_FOUND})
                errors.update({"409": CONFLICT, "413": TOO_LARGE, "422": REUSED_KEY})
                if method != "delete":
                    errors["415"] = UNSUPPORTED
                operation.setdefault("parameters", []).append(IDEMPOTENCY_KEY)
                for code, response in responses.items():
                    if code.startswith("2"):
                        response.setdefault("headers", {}).update(REPLAYED_HEADER)
            for code, response in errors.items():
                responses.setdefault(code, response)
    for name, component in result["components"]["schemas"].items():
        if name.endswith("Request") and component.get("type") == "object":
            component["additionalProperties"] = False
    for component in result["components"]["schemas"].values():
        for name, field in component.get("properties", {}).items():
            component["properties"][name] = _blank_allowed_by_pattern(field)
    patched = result["components"]["schemas"].get("PatchedUpdateEditRequest")
    if patched is not None:
        patched["required"] = ["version"]
    return result
