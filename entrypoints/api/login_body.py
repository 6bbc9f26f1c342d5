"""The sign-in body: JSON `{email, password}` or the OAuth2 password form (for /docs)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.exceptions import HTTPException

from entrypoints.api.json_body import parse_json
from entrypoints.api.schemas.auth import CredentialsIn

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

LOGIN_OPENAPI: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/CredentialsIn"}},
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "required": ["username", "password"],
                    "properties": {
                        "grant_type": {"type": "string", "enum": ["password"]},
                        "username": {"type": "string", "minLength": 3, "maxLength": 320},
                        "password": {"type": "string", "minLength": 1, "maxLength": 4096},
                        "scope": {"type": "string"},
                        "client_id": {"type": "string"},
                        "client_secret": {"type": "string"},
                    },
                }
            },
        },
    }
}


async def login_credentials(request: Request) -> CredentialsIn:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type == "application/json":
        data = parse_json(await request.body())
    elif media_type in FORM_TYPES:
        form = await request.form()
        data = {"email": form.get("username"), "password": form.get("password")}
    else:
        raise HTTPException(status_code=415)
    try:
        return CredentialsIn.model_validate(data)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**error, "loc": ("body", *error["loc"])} for error in exc.errors()]
        ) from exc
