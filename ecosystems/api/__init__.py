"""The REST API of the world: ``/api/v1/`` ecosystems, characters, interactions, society, the
event log, memories and the Director. Views parse, make one service or selector call, render.

Object-level authorization (OWASP API1), the same for every endpoint (``access.py``):
the owner may do everything; any signed-in user may read (GET) a public world and what is in
it, and is refused writes with 403 (they can see it exists); another user's private world and
everything in it is a 404, for reads and writes alike, so its existence is never revealed.
"""
