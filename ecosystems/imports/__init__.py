"""Importing a book as a world (issue 17): extraction, the analysis run, review, creation."""
