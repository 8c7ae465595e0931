"""What every REST endpoint under ``/api/`` shares: the error envelope, API-key
authentication, per-plan throttling and metering, the strict JSON parser and the schema hooks.
Set up once in ``REST_FRAMEWORK`` (config/settings.py); the apps' ``api.py`` modules only
translate requests into one service or selector call."""
