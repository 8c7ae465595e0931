"""New users start on the free plan, however they were created (sign-up, admin, createsuperuser)."""

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from billing.services import subscription_ensure


@receiver(
    post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="billing.subscription_for_new_user"
)
def subscribe_new_user(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        subscription_ensure(user=instance)
