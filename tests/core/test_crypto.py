"""Secrets at rest: Fernet tokens that hold no plaintext, readable only with the right key."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from core.crypto import SecretUnreadable, secret_decrypt, secret_encrypt, secret_hint

KEY = "sk-live-0123456789abcdefa1b2"


def test_a_secret_comes_back_from_its_token_and_the_token_does_not_hold_it(settings):
    settings.FIELD_ENCRYPTION_KEYS = []
    token = secret_encrypt(KEY)
    assert KEY not in token
    assert secret_decrypt(token) == KEY


def test_a_token_from_another_key_is_unreadable(settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    token = secret_encrypt(KEY)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(SecretUnreadable, match="DRAMATIS_FIELD_KEY"):
        secret_decrypt(token)


def test_a_rotated_key_still_reads_what_the_old_one_wrote(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    token = secret_encrypt(KEY)
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    assert secret_decrypt(token) == KEY


def test_without_a_field_key_the_key_follows_secret_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = []
    token = secret_encrypt(KEY)
    settings.SECRET_KEY = "another-secret-key"
    with pytest.raises(SecretUnreadable):
        secret_decrypt(token)


def test_only_the_last_four_characters_are_ever_shown():
    assert secret_hint(KEY) == "\u2026a1b2"
    assert secret_hint("short") == "\u2026"  # too short to show any of it
    assert secret_hint("") == ""
    assert secret_encrypt("") == "" and secret_decrypt("") == ""
