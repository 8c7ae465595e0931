"""From a book's text to a proposed cast, voices and relationships (pure, offline)."""
