"""The optional projection of each world's relationship graph into a graph database (DESIGN.md
"Society"): with ``NEO4J_BOLT_URL`` set, ``graph_sync`` writes characters and relationships
there through neomodel, idempotent by event ``seq`` (``GraphCursor``), and a few analytics
are answered in Cypher. Without it nothing here connects anywhere and ``nodes`` (the neomodel
schema) is never imported.

Any Bolt server that runs openCypher serves: Neo4j in production; the tests and
``python -m config.graph_server`` start ArcadeDB (config/graph_server.py).
"""
