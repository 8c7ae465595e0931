"""Every marketplace endpoint as the publisher, a stranger, staff and anonymous, on a published
listing and on one in review (OWASP API1).

The rules: a listing in review (or rejected, or taken down) is a 404 for anyone but its
publisher and staff; moderation is staff's alone (403 for anyone else, whether the listing is
published or not); updates and the cover are the publisher's (403 for others who see the
listing); reviews are the installers' (403 before installing); anonymous requests are 401.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from marketplace.models import Listing
from tests.api.conftest import client_with_key
from tests.factories import EcosystemFactory, ListingFactory
from tests.marketplace.pictures import picture

pytestmark = pytest.mark.django_db

PUBLISHED, IN_REVIEW = Listing.Status.APPROVED, Listing.Status.PENDING_REVIEW


@dataclass(frozen=True)
class Call:
    method: str
    action: str  # after /listings/{id}/
    body: Any
    published: dict[str, int]  # persona -> status on an approved listing
    in_review: dict[str, int] = field(default_factory=dict)  # on a pending one
    multipart: bool = False  # the body's bytes are sent as uploaded files

    def __str__(self) -> str:
        return f"{self.method} {self.action or 'detail'}"


CALLS = [
    Call(
        "get",
        "",
        None,
        {"publisher": 200, "stranger": 200, "staff": 200},
        {"publisher": 200, "stranger": 404, "staff": 200},
    ),
    Call(
        "post",
        "report",
        {"reason": "Spam."},
        {"publisher": 201, "stranger": 201, "staff": 201},
        {"publisher": 201, "stranger": 404, "staff": 201},
    ),
    Call(
        "post",
        "install",
        {},
        {"publisher": 201, "stranger": 201, "staff": 201},
        {"publisher": 409, "stranger": 404, "staff": 409},  # not offered while in review
    ),
    Call(
        "post",
        "reviews",
        {"rating": 5},
        {"publisher": 403, "stranger": 403, "staff": 403},  # nobody installed it yet
        {"stranger": 404},
    ),
    Call(
        "post",
        "versions",
        {"changelog": "More roses."},
        {"stranger": 403, "staff": 403},
        {"stranger": 404, "staff": 403},
    ),
    Call(
        "post",
        "moderate",
        {"decision": "approve"},
        {"publisher": 403, "stranger": 403, "staff": 409},  # approved: nothing in review
        {"publisher": 403, "stranger": 403, "staff": 200},
    ),
    Call(
        "put",
        "cover",
        {"file": picture((64, 36))},
        {"publisher": 200, "stranger": 403, "staff": 403},
        {"publisher": 200, "stranger": 404, "staff": 403},
        multipart=True,
    ),
    Call(
        "delete",
        "cover",
        None,
        {"publisher": 204, "stranger": 403, "staff": 403},
        {"publisher": 204, "stranger": 404, "staff": 403},
    ),
]


def _send(client, call: Call, path: str):
    if call.multipart:
        files = {
            name: SimpleUploadedFile(f"{name}.png", data, content_type="image/png")
            for name, data in call.body.items()
        }
        return getattr(client, call.method)(path, files, format="multipart")
    return getattr(client, call.method)(path, call.body, format="json")


@pytest.fixture
def clients(owner, stranger, staff) -> dict[str, Any]:
    return {
        "publisher": client_with_key(owner),
        "stranger": client_with_key(stranger),
        "staff": client_with_key(staff),
    }


def _cases() -> list[Any]:
    cases = []
    for call in CALLS:
        for state, expected in (("published", call.published), ("in_review", call.in_review)):
            for persona, status in expected.items():
                cases.append(
                    pytest.param(call, state, persona, status, id=f"{call}-{state}-{persona}")
                )
    return cases


@pytest.mark.parametrize(("call", "state", "persona", "status"), _cases())
def test_each_persona_gets_the_status_the_rules_say(call, state, persona, status, owner, clients):
    listing = ListingFactory(
        publisher=owner, status=PUBLISHED if state == "published" else IN_REVIEW
    )
    path = f"/api/v1/marketplace/listings/{listing.pk}/{call.action + '/' if call.action else ''}"

    response = _send(clients[persona], call, path)

    assert response.status_code == status, response.content


@pytest.mark.parametrize("call", CALLS, ids=str)
def test_anonymous_requests_are_401(call, anonymous):
    listing = ListingFactory(status=PUBLISHED)
    path = f"/api/v1/marketplace/listings/{listing.pk}/{call.action + '/' if call.action else ''}"

    assert _send(anonymous, call, path).status_code == 401


def test_only_your_own_world_is_submitted(owner, clients):
    private = EcosystemFactory(owner=owner)
    public = EcosystemFactory(owner=owner, visibility="public")

    for world in (private, public):
        response = clients["stranger"].post(
            "/api/v1/marketplace/listings/",
            {"kind": "world", "source_id": str(world.pk), "title": "Not mine"},
            format="json",
        )
        assert response.status_code == 404, response.content
