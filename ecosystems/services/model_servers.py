"""``world_model_servers_set``: a world's own chain of model servers (plans with
``custom_models``), replacing the configured chain when the world's lines are voiced.

The chain is replaced as a whole (PUT semantics). API keys are encrypted before they are
stored and never read back out through here; to keep a stored key without typing it again, an
entry leaves ``api_key`` out (``None``) and names the same base URL as before: a key is never
carried over to another host.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from billing.limits import plan_locked
from core.crypto import secret_encrypt, secret_hint
from core.errors import InvalidInput, PlanLimitReached
from ecosystems.models import Ecosystem, WorldModelServer

API_KEY_MAX_CHARS = 500  # longer than any provider's key (OpenAI project keys are ~170)
UPGRADE_MESSAGE = (
    "Plan {plan!r} does not include custom model servers. Upgrade to a plan with custom "
    "models (Enterprise) at /pricing/, or leave the list empty to use the standard ones."
)
_url = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class ModelServerEntry:
    base_url: str
    model: str
    api_key: str | None = None  # None: keep the key stored for this base URL, if any


def world_model_servers_set(
    *, ecosystem: Ecosystem, servers: Sequence[ModelServerEntry]
) -> list[WorldModelServer]:
    """Make ``servers`` the world's chain, in order (an empty list clears it, on any plan).
    Raises ``PlanLimitReached`` when the owner's plan lacks ``custom_models`` and
    ``InvalidInput`` naming the entry and field that is wrong; nothing changes then."""
    problems = _problems(servers)
    if problems:
        raise InvalidInput(
            "Some model servers cannot be used: " + " ".join(
                f"{field}: {' '.join(messages)}" for field, messages in problems.items()
            ),
            details=problems,
        )  # fmt: skip
    with transaction.atomic():
        world = Ecosystem.objects.select_for_update().select_related("owner").get(pk=ecosystem.pk)
        plan = plan_locked(owner=world.owner)
        if servers and not plan.custom_models:
            raise PlanLimitReached(
                UPGRADE_MESSAGE.format(plan=plan.name),
                details={"custom_models": [f"Not included in plan {plan.name!r}."]},
            )
        stored = {row.base_url: row for row in WorldModelServer.objects.filter(ecosystem=world)}
        rows = [
            _row(world, position, entry, stored.get(entry.base_url.strip()))
            for position, entry in enumerate(servers, start=1)
        ]
        WorldModelServer.objects.filter(ecosystem=world).delete()
        return WorldModelServer.objects.bulk_create(rows)


def _row(
    world: Ecosystem, position: int, entry: ModelServerEntry, before: WorldModelServer | None
) -> WorldModelServer:
    row = WorldModelServer(
        ecosystem=world, position=position, base_url=entry.base_url.strip(),
        model=entry.model.strip(),
    )  # fmt: skip
    if entry.api_key is None and before is not None:
        row.api_key_encrypted, row.api_key_hint = before.api_key_encrypted, before.api_key_hint
    else:
        key = (entry.api_key or "").strip()
        row.api_key_encrypted, row.api_key_hint = secret_encrypt(key), secret_hint(key)
    return row


def _problems(servers: Sequence[ModelServerEntry]) -> dict[str, list[str]]:
    """What is wrong, keyed ``servers.<n>.<field>`` (n from 1, as the chain is tried)."""
    limit = int(settings.WORLD_MODEL_SERVERS_MAX)
    if len(servers) > limit:
        return {"servers": [f"At most {limit} model servers; {len(servers)} were given."]}
    problems: dict[str, list[str]] = {}
    for n, entry in enumerate(servers, start=1):
        url = entry.base_url.strip()
        try:
            _url(url)
        except ValidationError:
            problems[f"servers.{n}.base_url"] = [
                "Give the server's http(s) URL up to and including /v1."
            ]
        if len(url) > WorldModelServer._meta.get_field("base_url").max_length:
            problems[f"servers.{n}.base_url"] = ["At most 500 characters."]
        if not entry.model.strip() or len(entry.model.strip()) > 200:
            problems[f"servers.{n}.model"] = ["Name the model (1 to 200 characters)."]
        if entry.api_key is not None and len(entry.api_key.strip()) > API_KEY_MAX_CHARS:
            problems[f"servers.{n}.api_key"] = [f"At most {API_KEY_MAX_CHARS} characters."]
    return problems
