"""Secrets kept in the database, encrypted at rest: Fernet (AES-128-CBC + HMAC-SHA256, from
``cryptography``), so a database dump or backup does not carry usable keys.

Keys come from ``settings.FIELD_ENCRYPTION_KEYS`` (env ``DRAMATIS_FIELD_KEY``: Fernet keys,
comma separated; the first encrypts, every one decrypts, so a key is rotated by putting the new
one first and re-saving). With none set, one key is derived from ``SECRET_KEY`` with HKDF, so
the embedded default works with no setup.
"""

from __future__ import annotations

import base64
import functools

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

# HKDF's "info": ties the derived key to this use, so it is no other key derived from SECRET_KEY.
DERIVATION_INFO = b"dramatis field encryption v1"
FERNET_KEY_BYTES = 32


class SecretUnreadable(Exception):
    """A stored secret cannot be decrypted with the configured keys (wrong or rotated away)."""

    code = "secret_unreadable"


@functools.lru_cache(maxsize=4)
def _box(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    if keys:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    derived = HKDF(
        algorithm=hashes.SHA256(), length=FERNET_KEY_BYTES, salt=None, info=DERIVATION_INFO
    ).derive(secret_key.encode())
    return MultiFernet([Fernet(base64.urlsafe_b64encode(derived))])


def _current() -> MultiFernet:
    return _box(tuple(settings.FIELD_ENCRYPTION_KEYS), settings.SECRET_KEY)


def secret_encrypt(plaintext: str) -> str:
    """``plaintext`` as a Fernet token (text, safe to store); "" stays ""."""
    if not plaintext:
        return ""
    return _current().encrypt(plaintext.encode()).decode()


def secret_decrypt(token: str) -> str:
    """The plaintext of a token from ``secret_encrypt``; raises ``SecretUnreadable``."""
    if not token:
        return ""
    try:
        return _current().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise SecretUnreadable(
            "A stored secret cannot be decrypted with the configured DRAMATIS_FIELD_KEY; "
            "restore the key it was saved with, or enter the secret again."
        ) from error


def secret_hint(plaintext: str, *, shown: int = 4) -> str:
    """What may be shown of a secret: its last ``shown`` characters ("…a1b2"), or "" for none.
    A secret too short to hide anything shows no characters at all."""
    if not plaintext:
        return ""
    return "\u2026" + plaintext[-shown:] if len(plaintext) > 2 * shown else "\u2026"
