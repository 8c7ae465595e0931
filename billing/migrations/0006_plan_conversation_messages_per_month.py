"""Conversations count toward the plan: messages a month (DESIGN.md, issue 15), as data."""

from django.db import migrations, models

MESSAGES_PER_MONTH = {"free": 200, "pro": 10_000, "enterprise": None}


def seed(apps, schema_editor):
    Plan = apps.get_model("billing", "Plan")
    for code, limit in MESSAGES_PER_MONTH.items():
        Plan.objects.filter(code=code).update(conversation_messages_per_month=limit)


class Migration(migrations.Migration):
    dependencies = [("billing", "0005_subscription_lifecycle_invoices_events")]
    operations = [
        migrations.AddField(
            model_name="plan",
            name="conversation_messages_per_month",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="Messages a person may send to characters in a calendar month "
                "(empty: no limit).",
                null=True,
            ),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
