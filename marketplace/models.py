"""Listings arrive with the marketplace issue."""
