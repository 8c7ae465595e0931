"""The LLM provider chain that voices characters when OpenAI-compatible providers are configured.

Modules, each importable on its own (only ``services`` and ``selectors`` need Django models):

- ``providers``: ``Provider`` and ``providers_configured()`` (settings shape documented there).
- ``prompts``: ``DialogueRequest``, ``RelationshipSummary``, ``dialogue_messages()`` (pure).
- ``sampling``: ``Sampling`` and ``sampling_for_personality()`` (pure).
- ``quality``: ``reply_clean()`` and ``reply_problem()`` (pure).
- ``breaker``: the per-provider, per-process circuit breaker.
- ``client``: the one place that calls the ``openai`` package.
- ``services``: ``dialogue_generate()`` -> ``DialogueResult``, the public entry.
- ``selectors``: ``llm_usage_totals()``, ``llm_usage_by_world()``, ``llm_usage_by_owner()``.
"""
