from django.apps import AppConfig


class EcosystemsConfig(AppConfig):
    name = "ecosystems"
    verbose_name = "Ecosystems"

    def ready(self) -> None:
        from billing.signals import plan_changed
        from ecosystems.quotas import usages_register
        from ecosystems.receivers import plan_changed_apply

        usages_register()
        plan_changed.connect(plan_changed_apply, dispatch_uid="ecosystems.plan_changed_apply")
