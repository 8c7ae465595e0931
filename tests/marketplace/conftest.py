"""The API personas (owner, stranger, anonymous clients; a cache namespace per test) for the
marketplace's API tests, as ``tests/api`` has them."""

from tests.api.conftest import (  # noqa: F401 - re-exported as fixtures
    _own_cache_namespace,
    anonymous,
    as_owner,
    as_stranger,
)
