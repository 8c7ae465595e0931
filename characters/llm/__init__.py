"""The LLM provider chain that voices characters when OpenAI-compatible providers are configured.

Modules, each importable on its own (only ``services``, ``options`` and ``selectors`` need
Django models):

- ``providers``: ``Provider`` and ``providers_configured()`` (settings shape documented there).
- ``prompts``: ``DialogueRequest``, ``RelationshipSummary``, ``TalkContext`` (a person in a
  conversation: description, the turns so far, the intent read), ``dialogue_messages()`` (pure).
- ``sampling``: ``Sampling``, ``sampling_for_personality()`` and ``sampling_for_closeness()``
  (a reply to a person, shaped by how close the character feels to them) (pure).
- ``quality``: ``reply_clean()`` and ``reply_problem()`` (pure).
- ``breaker``: the per-provider, per-process circuit breaker.
- ``client``: the one place that calls the ``openai`` package.
- ``services``: ``dialogue_generate()`` -> ``DialogueResult``, the public entry.
- ``options``: ``options_generate()``: a conversation's three answer options as validated JSON,
  the engine's offline options on any failure.
- ``selectors``: ``llm_usage_totals()``, ``llm_usage_by_world()``, ``llm_usage_by_owner()``.
"""
