"""The bottom of the import graph: what every app and ``config.api`` share, importing no app.

``errors``: domain exceptions with a stable code; ``serializers``: strict DRF serializers;
``bulk``: PostgreSQL COPY helpers for hot write paths. Apps import from here; nothing here
imports an app (billing <- characters <- ecosystems <- stories <- marketplace sit above).
"""
