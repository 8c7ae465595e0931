"""Signals billing sends to the apps above it (billing imports none of them)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent after the transaction that changed a user's plan in force commits, with ``user``,
# ``old_plan`` and ``new_plan``: an upgrade, a downgrade at a period's end, after a grace ran
# out or by staff. Receivers pause or resume what the new plan's limits cover.
plan_changed = Signal()
