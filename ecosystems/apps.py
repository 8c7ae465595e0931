from django.apps import AppConfig


class EcosystemsConfig(AppConfig):
    name = "ecosystems"
    verbose_name = "Ecosystems"

    def ready(self) -> None:
        from ecosystems.quotas import usages_register

        usages_register()
