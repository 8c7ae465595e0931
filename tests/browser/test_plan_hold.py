"""After a downgrade, in a real browser: the world reads as before, the banner says what is
over and where to upgrade, and the buttons the services would refuse cannot be pressed."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from billing.models import Plan, Subscription
from billing.signals import plan_changed
from ecosystems.models import Ecosystem
from tests.browser.conftest import screenshot
from tests.factories import CharacterFactory, EcosystemFactory

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]


@pytest.fixture
def downgraded(owner) -> Ecosystem:
    pro, free = Plan.objects.get(code="pro"), Plan.objects.get(code="free")
    Subscription.objects.filter(user=owner).update(plan=pro)
    world = EcosystemFactory(
        owner=owner, name="Crowded Garden", status=Ecosystem.Status.RUNNING,
        next_tick_at=timezone.now(),
    )  # fmt: skip
    for n in range(8):
        CharacterFactory(ecosystem=world, name=f"Guest {n + 1}")
    Subscription.objects.filter(user=owner).update(plan=free)
    plan_changed.send(sender=None, user=owner, old_plan=pro, new_plan=free)
    return world


def test_the_observatory_after_a_downgrade_says_what_to_remove_and_disables_acting(
    open_page, owner, downgraded
):
    page = open_page(owner)
    page.goto(f"/worlds/{downgraded.pk}/")

    banner = page.locator("#plan-hold")
    expect(banner).to_contain_text("Remove 3 characters or upgrade at /pricing/.")
    expect(banner.get_by_role("link", name="See the plans")).to_have_attribute("href", "/pricing/")
    expect(page.get_by_role("button", name="Start world")).to_be_disabled()
    expect(page.get_by_role("button", name="Whisper")).to_be_disabled()
    expect(page.locator("#world-status")).to_have_text("Paused")
    screenshot(page, "plan-hold-observatory")
