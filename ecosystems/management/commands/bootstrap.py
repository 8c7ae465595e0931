"""Set-up at every ``make run``: the local admin, the paid plans on the payment server and, on
an empty database, the demo world."""

from __future__ import annotations

import requests
import stripe
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from billing.gateway import local_webhook_register, payments_configured
from billing.services import plans_sync
from ecosystems.demo import demo_world_seed
from ecosystems.local_admin import local_admin_ensure
from ecosystems.models import Ecosystem
from ecosystems.services import ecosystem_start


class Command(BaseCommand):
    help = "Ensure the local admin account; seed and start the demo world if there is no world."

    def handle(self, *args: object, **options: object) -> None:
        admin = local_admin_ensure(site_url=settings.SITE_URL)
        if payments_configured():
            try:
                synced = plans_sync()
            except stripe.StripeError as error:  # the product runs; checkout says it is down
                self.stderr.write(f"Plans not synced with the payment server: {error}")
            else:
                self.stdout.write(f"Plans on the payment server: {len(synced)} paid plans.")
            webhook = f"{settings.SITE_URL}/api/v1/billing/webhooks/stripe/"
            try:
                if local_webhook_register(url=webhook):
                    self.stdout.write(f"The payment server sends its events to {webhook}.")
            except requests.RequestException as error:
                self.stderr.write(f"Payment-server webhook not registered: {error}")
        if not Ecosystem.objects.exists():
            owner = get_user_model().objects.get(username=admin.username)
            result = demo_world_seed(owner=owner)
            ecosystem_start(ecosystem=result.ecosystem)
            self.stdout.write(f"Seeded and started the demo world {result.ecosystem.name!r}.")
        if admin.password:
            self.stdout.write(
                f"Admin account created: username {admin.username!r}, password {admin.password!r}"
                " (shown once; change it in /admin/)."
            )
        self.stdout.write(f"One-time admin login link: {admin.login_url}")
