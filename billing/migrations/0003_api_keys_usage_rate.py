import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

RATES = {"free": 60, "pro": 600, "enterprise": 6_000}  # requests per minute, issue 7


def seed_rates(apps, schema_editor):
    Plan = apps.get_model("billing", "Plan")
    for code, rate in RATES.items():
        Plan.objects.filter(code=code).update(api_requests_per_minute=rate)


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0002_seed_plans"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="plan",
            name="api_requests_per_minute",
            field=models.PositiveIntegerField(
                default=60,
                help_text="Rate limit of the REST API for one user, requests per minute (DRF throttle).",
            ),
        ),
        migrations.RunPython(seed_rates, migrations.RunPython.noop),
        migrations.CreateModel(
            name="ApiKey",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("name", models.CharField(help_text="What the key is for, e.g. 'game server'.", max_length=100)),
                ("prefix", models.CharField(max_length=16, unique=True)),
                ("secret_hash", models.CharField(editable=False, max_length=64, unique=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("last_used_at", models.DateTimeField(blank=True, null=True)),
                ("revoked_at", models.DateTimeField(blank=True, null=True)),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="api_keys", to=settings.AUTH_USER_MODEL)),
            ],
            options={"ordering": ["-created_at"], "verbose_name": "API key"},
        ),
        migrations.CreateModel(
            name="ApiUsage",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("month", models.DateField(help_text="The first day of the month.")),
                ("calls", models.PositiveBigIntegerField(default=0)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="api_usage", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "ordering": ["-month"],
                "verbose_name": "API usage",
                "verbose_name_plural": "API usage",
                "constraints": [models.UniqueConstraint(fields=("user", "month"), name="api_usage_once_per_month")],
            },
        ),
    ]
