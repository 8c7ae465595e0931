"""Whose name a world's pages and exports carry: the one decision of white label.

A world whose owner's plan has ``white_label`` shows no Dramatis branding to its readers: the
public pages of the world (Observatory, Director, characters, stories) and the story exports
(Markdown, HTML, EPUB) credit nobody but the world. Every other world credits Dramatis.
Templates get the answer as ``branding`` (``ecosystems.views.render_world``); the exports as
the story document's ``brand``.
"""

from __future__ import annotations

from dataclasses import dataclass

from billing.selectors import plan_of
from ecosystems.models import Ecosystem

PRODUCT_NAME = "Dramatis"


@dataclass(frozen=True)
class Branding:
    white_label: bool

    @property
    def product_name(self) -> str:
        """The name to credit: "Dramatis", or "" for a white-labelled world."""
        return "" if self.white_label else PRODUCT_NAME


DRAMATIS_BRANDING = Branding(white_label=False)


def branding_for(*, ecosystem: Ecosystem) -> Branding:
    """The branding of ``ecosystem``'s pages and exports, from its owner's plan (one query).
    A downgrade brings the credit back at once: it follows the plan, not a stored flag."""
    return Branding(white_label=plan_of(user=ecosystem.owner).white_label)
