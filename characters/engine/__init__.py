"""The pure engine of character minds and interactions.

Nothing in this package imports Django or any other part of the project: dataclasses go in,
dataclasses come out, and any randomness comes from a seeded ``random.Random`` the caller
passes in, so the same inputs and seed always give the same outcome.

Modules, in import order (each imports only the ones above it):

- ``types``: the dataclasses shared by everything (Personality, EmotionState, ...).
- ``personality``: compatibility between two personalities and perception modifiers.
- ``interactions``: the catalogue of interaction types and the feasibility rules.
- ``emotions``: Plutchik dynamics: impulses, decay toward a baseline, contagion.
- ``relationships``: directed relationship deltas with readable causes; derived kinds.
- ``dialogue`` (+ ``dialogue_bank``): the template engine for lines and replies.
- ``interaction``: ``resolve_interaction``, the one call the Django service makes.
- ``words``: content words and a light stem (what a text is about).
- ``intent`` (+ ``intent_examples``): ``read_intent``, what a person's or character's line
  does and how it feels (cue rules, optional embedding prototypes).
- ``talk``: conversations with people: answer options, goals and their progress, which
  secret a character tells, sharp swings of the emotional arc.
"""
