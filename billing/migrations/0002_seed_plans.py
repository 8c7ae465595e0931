"""Seed the three plans of DESIGN.md. They are data afterwards: staff edit them in admin."""

from django.db import migrations

PLANS = [
    dict(code="free", name="Free", price_cents_per_month=0, max_characters=5, max_relationships=10,
         story_exports_per_month=3, api_calls_per_month=1_000, is_default=True, sort_order=0),
    dict(code="pro", name="Pro", price_cents_per_month=2_900, max_characters=50,
         max_relationships=200, story_exports_per_month=None, api_calls_per_month=50_000,
         priority_processing=True, sort_order=1),
    dict(code="enterprise", name="Enterprise", price_cents_per_month=29_900, max_characters=None,
         max_relationships=None, story_exports_per_month=None, api_calls_per_month=None,
         priority_processing=True, custom_models=True, white_label=True, dedicated_support=True,
         sort_order=2),
]


def seed(apps, schema_editor):
    Plan = apps.get_model("billing", "Plan")
    for plan in PLANS:
        Plan.objects.update_or_create(code=plan["code"], defaults=plan)


def unseed(apps, schema_editor):
    apps.get_model("billing", "Plan").objects.filter(code__in=[p["code"] for p in PLANS]).delete()


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
