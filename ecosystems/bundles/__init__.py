"""Portable worlds and scenario packages (issue 14): versioned JSON documents a creator can
download, share and import, and the marketplace installs. Import from here."""

from ecosystems.bundles.schema import (
    SCENARIO_FORMAT,
    SCENARIO_PACKAGE_SCHEMA,
    VERSION,
    WORLD_BUNDLE_SCHEMA,
    WORLD_FORMAT,
)
from ecosystems.bundles.services import (
    bundle_export,
    bundle_import,
    scenario_package_export,
    scenario_package_import,
)
from ecosystems.bundles.validation import bundle_validate, scenario_package_validate

__all__ = [
    "SCENARIO_FORMAT",
    "SCENARIO_PACKAGE_SCHEMA",
    "VERSION",
    "WORLD_BUNDLE_SCHEMA",
    "WORLD_FORMAT",
    "bundle_export",
    "bundle_import",
    "bundle_validate",
    "scenario_package_export",
    "scenario_package_import",
    "scenario_package_validate",
]
