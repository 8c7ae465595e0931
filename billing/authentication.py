"""``Authorization: Bearer <api key>`` for the REST API (the browser session works too, with
CSRF, through DRF's ``SessionAuthentication`` listed after this class)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from billing.models import ApiKey
from billing.selectors import api_key_for_secret
from billing.services import API_KEY_PREFIX, api_key_touch

KEYWORD = "Bearer"


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """A valid key authenticates its user; a present but wrong, revoked or malformed key is a
    401 (never a silent fall-back to anonymous). Listed first, so an anonymous request is
    answered 401 with ``WWW-Authenticate: Bearer``."""

    def authenticate(self, request: Request) -> tuple[AbstractBaseUser, ApiKey] | None:
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() != KEYWORD.lower():
            return None
        if len(header) != 2 or not header[1].startswith(API_KEY_PREFIX):
            raise exceptions.AuthenticationFailed(
                f"Send the key as 'Authorization: {KEYWORD} {API_KEY_PREFIX}...'."
            )
        return user_for_key(header[1])

    def authenticate_header(self, request: Request) -> str:
        return f'{KEYWORD} realm="api"'


def user_for_key(key: str) -> tuple[AbstractBaseUser, ApiKey]:
    api_key = api_key_for_secret(key=key)
    if api_key is None or not api_key.user.is_active:
        raise exceptions.AuthenticationFailed(
            "This API key is not valid or was revoked. Create one at /account/api-keys/."
        )
    api_key_touch(api_key=api_key)
    return api_key.user, api_key


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "billing.authentication.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema: object) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "dra_<prefix>_<secret>",
            "description": "An API key from POST /api/v1/auth/keys/ or /account/api-keys/.",
        }
