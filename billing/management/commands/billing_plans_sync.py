"""``python manage.py billing_plans_sync``: every paid plan as a product and a monthly price on
the payment server (idempotent)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from billing.services import plans_sync


class Command(BaseCommand):
    help = "Create or update the paid plans' products and monthly prices on the payment server."

    def handle(self, *args: object, **options: object) -> None:
        for synced in plans_sync():
            made = [
                what
                for what, created in (("product", synced.product_created),
                                      ("price", synced.price_created))
                if created
            ]  # fmt: skip
            self.stdout.write(
                f"{synced.plan.code}: {synced.plan.stripe_price_id} "
                f"({'created ' + ' and '.join(made) if made else 'up to date'})"
            )
