"""The pattern library: every story shape Dramatis looks for, as data, in one place.

To add a story, add a ``Pattern`` to ``PATTERNS``: its steps are predicates over the event
log (see ``stories.engine.sifting``) with the words to tell them. Role variables name
characters (``a``, ``b``...; the dict gives their readable role); other variables are topics
(``f`` a secret's fact, ``g`` an alliance). Beat ``text`` None tells the beat with the event's
own sentence ("Alice insulted Bob"). Tension contributions are on a 0..1 scale: a story's
tension is their sum, so three or four strong beats make a story at its peak.

Windows are in ticks. The simulation forgets interactions after 12 ticks
(``ecosystems.engine.world.HISTORY_TICKS``): a quarrel left alone twice as long has cooled,
so conflicts use 24; slower arcs (courtship, betrayal, redemption) get days of ticks.
"""

from __future__ import annotations

from characters.engine.relationships import FRIEND_MIN_STRENGTH
from characters.engine.types import RELATIONSHIP_KINDS
from stories.engine.sifting import (
    Pattern,
    Step,
    alliance,
    any_of,
    arc_swing,
    director,
    escalation,
    goal,
    gossip,
    interaction,
    relationship,
    talk,
    talk_goal,
)

# Interaction types by their colour (characters.engine interaction kinds).
HOSTILE = ("argue", "insult", "threaten", "betray", "deceive")
WRONGS = ("insult", "threaten", "betray", "deceive")
WARM = ("help", "gift", "compliment", "confide", "share_secret", "joke")
AMENDS = ("apologise", "reconcile")
AMOROUS = ("flirt", "compliment", "gift")
CLOSE_KINDS = ("friend", "close_friend", "partner", "ally")
ENMITY_KINDS = ("rival", "enemy")
ROMANTIC_KINDS = ("romantic_interest", "partner")
SCHEMING = ("impress", "scheme")
# Courting a third person (a flirt, a compliment, a gift aimed at the beloved).
COURTING = ("flirt", "compliment", "gift")
# Standing by someone: practical help, a gift, a confidence.
SUPPORT = ("help", "gift", "confide")
CLASHES = ("disagree", *HOSTILE)

# Windows (ticks).
QUARREL_WINDOW_TICKS = 24
FEUD_WINDOW_TICKS = 48
GOSSIP_WINDOW_TICKS = 96
ROMANCE_WINDOW_TICKS = 168
TRUST_WINDOW_TICKS = 168

ESCALATING_CONFLICT = Pattern(
    key="escalating_conflict",
    genre="conflict",
    roles={"a": "aggressor", "b": "opponent"},
    steps=(
        Step(
            interaction("disagree", "argue", between=("a", "b")),
            label="friction",
            outcome="falling out",
            prediction="{a} and {b} may fall out",
            tension=0.15,
        ),
        Step(
            interaction("insult", between=("a", "b")),
            label="insult",
            prediction="{a} and {b} may come to insults",
            tension=0.25,
            within=QUARREL_WINDOW_TICKS,
        ),
        Step(
            any_of(
                interaction("threaten", between=("a", "b")),
                escalation(between=("a", "b"), min_rung=3),
            ),
            label="threat",
            outcome="enmity",
            prediction="Threats may follow between {a} and {b}",
            tension=0.35,
            within=QUARREL_WINDOW_TICKS,
        ),
    ),
    titles=(
        "A Quarrel Between {a} and {b}",
        "Bad Blood Between {a} and {b}",
        "The Feud of {a} and {b}",
    ),
    min_steps=2,
    climax=3,
    max_span=3 * QUARREL_WINDOW_TICKS,
    # An apology or a reconciliation between any two steps ends the escalation.
    unless=(interaction(*AMENDS, between=("a", "b")),),
    symmetric=("a", "b"),
    aftermath="{a} and {b} may come to blows, unless one of them backs down",
)

RIVALRY = Pattern(
    key="rivalry",
    genre="rivalry",
    roles={"a": "rival", "b": "rival"},
    steps=(
        Step(
            relationship(to_kinds=ENMITY_KINDS, source="a", target="b"),
            label="rift",
            text="{a} came to see {b} as a rival",
            prediction="{a} may turn against {b}",
            tension=0.2,
        ),
        Step(
            any_of(
                interaction("disagree", *HOSTILE, between=("a", "b")),
                goal(intent=("revenge", *SCHEMING), who="a", target="b"),
                goal(intent=("revenge", *SCHEMING), who="b", target="a"),
            ),
            label="hostility",
            outcome="clash",
            prediction="{a} and {b} will clash again",
            tension=0.2,
            within=FEUD_WINDOW_TICKS,
        ),
        Step(
            any_of(
                interaction("insult", "threaten", "betray", between=("a", "b")),
                escalation(between=("a", "b"), min_rung=2),
                relationship(to_kinds=("enemy",), between=("a", "b")),
            ),
            label="open enmity",
            outcome="enmity",
            prediction="{a} and {b} may become open enemies",
            tension=0.3,
            within=FEUD_WINDOW_TICKS,
        ),
    ),
    titles=("The Rivalry of {a} and {b}", "{a} Against {b}", "No Love Lost: {a} and {b}"),
    min_steps=2,
    climax=3,
    max_span=3 * FEUD_WINDOW_TICKS,
    aftermath="{a} and {b} may make peace, or one of them may seek revenge",
)

COURTSHIP = Pattern(
    key="courtship",
    genre="romance",
    roles={"a": "suitor", "b": "beloved"},
    steps=(
        Step(
            interaction(*AMOROUS, by="a", to="b"),
            label="advance",
            outcome="courting",
            prediction="{a} may court {b}",
            tension=0.05,
        ),
        Step(
            relationship(to_kinds=("romantic_interest",), between=("a", "b")),
            label="spark",
            text="Sparks flew between {a} and {b}",
            prediction="{b} may warm to {a}",
            tension=0.15,
            within=ROMANCE_WINDOW_TICKS // 2,
        ),
        Step(
            relationship(to_kinds=("partner",), between=("a", "b")),
            label="together",
            outcome="couple",
            text="{a} and {b} became a couple",
            prediction="{a} and {b} may become a couple",
            tension=-0.1,
            within=ROMANCE_WINDOW_TICKS,
        ),
    ),
    titles=(
        "The Courtship of {a} and {b}",
        "{a} and {b}: A Romance",
        "A Spark Between {a} and {b}",
    ),
    min_steps=2,
    climax=3,
    resolves=True,
    max_span=2 * ROMANCE_WINDOW_TICKS,
    unless=(interaction("insult", "threaten", "betray", between=("a", "b")),),
)

LOVE_TRIANGLE = Pattern(
    key="love_triangle",
    genre="triangle",
    roles={"a": "lover", "b": "beloved", "c": "rival suitor"},
    steps=(
        Step(
            relationship(to_kinds=ROMANTIC_KINDS, source="a", target="b"),
            label="devotion",
            text="{a} fell for {b}",
            prediction="{a} may fall for {b}",
            tension=0.1,
        ),
        Step(
            any_of(
                interaction("flirt", "gift", by="c", to="b"),
                relationship(to_kinds=("romantic_interest",), source="c", target="b"),
            ),
            label="rival suitor",
            text="{c} set eyes on {b} too",
            prediction="Someone else may court {b}",
            tension=0.3,
            within=GOSSIP_WINDOW_TICKS,
        ),
        Step(
            any_of(
                interaction("disagree", *HOSTILE, between=("a", "c")),
                relationship(to_kinds=ENMITY_KINDS, between=("a", "c")),
            ),
            label="jealousy",
            outcome="clash",
            text="{a} and {c} clashed over {b}",
            prediction="{a} and {c} may come to blows over {b}",
            tension=0.35,
            within=GOSSIP_WINDOW_TICKS,
        ),
    ),
    titles=("{b} Between {a} and {c}", "The Rivals for {b}", "A Triangle: {a}, {b} and {c}"),
    min_steps=2,
    climax=3,
    max_span=2 * GOSSIP_WINDOW_TICKS,
    aftermath="{b} may have to choose between {a} and {c}",
)

BETRAYAL = Pattern(
    key="betrayal",
    genre="betrayal",
    roles={"t": "traitor", "v": "betrayed"},
    steps=(
        Step(
            any_of(
                relationship(to_kinds=CLOSE_KINDS, source="v", target="t"),
                interaction("confide", "share_secret", by="v", to="t"),
                interaction("help", by="t", to="v"),
            ),
            label="trust",
            text="{v} trusted {t}",
            prediction="{v} may come to trust {t}",
            tension=0.05,
        ),
        Step(
            any_of(
                interaction("betray", by="t", to="v"),
                interaction("deceive", by="t", to="v", trust_drop=0.2),
                relationship(source="v", target="t", trust_delta_below=-0.25),
            ),
            label="betrayal",
            text="{t} betrayed {v}",
            prediction="{t} may betray {v}'s trust",
            tension=0.45,
            within=TRUST_WINDOW_TICKS,
        ),
        Step(
            any_of(
                relationship(to_kinds=ENMITY_KINDS, source="v", target="t"),
                goal(intent="revenge", who="v", target="t"),
                interaction(*HOSTILE, by="v", to="t"),
            ),
            label="reckoning",
            text="{v} turned on {t}",
            prediction="{v} may turn on {t}",
            tension=0.2,
            within=GOSSIP_WINDOW_TICKS,
        ),
    ),
    titles=("The Betrayal of {v}", "{t}'s Treachery", "A Knife in {v}'s Back"),
    min_steps=2,
    climax=2,
    max_span=2 * TRUST_WINDOW_TICKS,
    aftermath="{v} may seek revenge on {t}, or never trust again",
)

ALLIANCE = Pattern(
    key="alliance",
    genre="alliance",
    roles={"a": "member", "b": "member"},
    steps=(
        Step(
            alliance("formed", members=("a", "b"), alliance="g"),
            label="pact",
            text="{a} and {b} formed {g}",
            prediction="{a} and {b} may join forces",
            tension=0.1,
        ),
        Step(
            alliance("broken", alliance="g"),
            label="split",
            text="{g} fell apart",
            prediction="{g} may not hold",
            tension=0.2,
        ),
    ),
    titles=("The Pact of {a} and {b}", "{g}", "The Rise and Fall of {g}"),
    # A new alliance is news while it brews; its break is the climax and the end.
    min_steps=1,
    climax=2,
    resolves=True,
    max_span=480,
)

RECONCILIATION = Pattern(
    key="reconciliation",
    genre="reconciliation",
    roles={"a": "estranged", "b": "estranged"},
    steps=(
        Step(
            any_of(
                interaction(*HOSTILE, between=("a", "b")),
                relationship(to_kinds=ENMITY_KINDS, between=("a", "b")),
            ),
            label="rift",
            outcome="falling out",
            text="{a} and {b} fell out",
            prediction="{a} and {b} may fall out",
            tension=0.2,
        ),
        Step(
            interaction(*AMENDS, between=("a", "b")),
            label="olive branch",
            outcome="peace",
            prediction="{a} and {b} may make peace",
            tension=-0.1,
            within=GOSSIP_WINDOW_TICKS,
        ),
        Step(
            any_of(
                interaction(*WARM, between=("a", "b")),
                relationship(to_kinds=("acquaintance", *CLOSE_KINDS), between=("a", "b")),
            ),
            label="warmth",
            text="{a} and {b} were on good terms again",
            prediction="{a} and {b} may warm to each other again",
            tension=-0.25,
            within=GOSSIP_WINDOW_TICKS,
        ),
    ),
    titles=("{a} and {b} Make Peace", "Mending Fences: {a} and {b}"),
    symmetric=("a", "b"),
    min_steps=2,
    climax=2,
    resolves=True,
    max_span=2 * GOSSIP_WINDOW_TICKS,
)

SECRET = Pattern(
    key="secret",
    genre="mystery",
    roles={"a": "secret keeper", "b": "confidant", "c": "listener", "d": "listener"},
    steps=(
        Step(
            any_of(
                interaction("share_secret", "confide", by="a", to="b"),
                # A rumour the director planted: b heard something about a.
                director("rumour", characters=("b", "a")),
            ),
            label="confidence",
            prediction="{a} may confide in {b}",
            tension=0.1,
        ),
        Step(
            gossip(teller="b", subject="a", listener="c", fact="f"),
            label="leak",
            prediction="{b} may not keep {a}'s secret",
            tension=0.25,
            within=GOSSIP_WINDOW_TICKS,
        ),
        Step(
            gossip(teller="c", listener="d", fact="f"),
            label="spread",
            prediction="{c} may pass on what {b} said about {a}",
            tension=0.25,
            within=GOSSIP_WINDOW_TICKS,
        ),
    ),
    titles=("Whispers About {a}", "{a}'s Secret", "The Secret {b} Could Not Keep"),
    min_steps=2,
    climax=3,
    max_span=2 * GOSSIP_WINDOW_TICKS,
    aftermath="{a} may learn that the secret is out, and who let it slip",
)

REDEMPTION = Pattern(
    key="redemption",
    genre="redemption",
    roles={"w": "wrongdoer", "v": "wronged"},
    steps=(
        Step(
            interaction(*WRONGS, by="w", to="v"),
            label="wrong",
            outcome="wrong",
            prediction="{w} may wrong {v}",
            tension=0.25,
        ),
        Step(
            interaction("apologise", "help", "gift", "reconcile", by="w", to="v"),
            label="amends",
            prediction="{w} may try to make amends to {v}",
            tension=-0.05,
            within=TRUST_WINDOW_TICKS,
        ),
        Step(
            any_of(
                relationship(source="v", target="w", trust_delta_above=0.05),
                relationship(to_kinds=("acquaintance", *CLOSE_KINDS), source="v", target="w"),
            ),
            label="forgiveness",
            text="{v} began to trust {w} again",
            prediction="{v} may forgive {w}",
            tension=-0.2,
            within=TRUST_WINDOW_TICKS,
            # Wronging again before being forgiven undoes the amends.
            unless=(interaction(*WRONGS, by="w", to="v"),),
        ),
    ),
    titles=("The Redemption of {w}", "{w} Seeks Forgiveness"),
    min_steps=2,
    climax=3,
    resolves=True,
    max_span=2 * TRUST_WINDOW_TICKS,
)

POWER_STRUGGLE = Pattern(
    key="power_struggle",
    genre="power",
    roles={"a": "contender", "b": "contender", "c": "prize"},
    steps=(
        Step(
            goal(intent=SCHEMING, who="a", target="c"),
            label="ambition",
            prediction="{a} may seek {c}'s favour",
            tension=0.1,
        ),
        Step(
            goal(intent=SCHEMING, who="b", target="c"),
            label="contest",
            prediction="Someone else may vie for {c}'s favour",
            tension=0.15,
            within=GOSSIP_WINDOW_TICKS,
        ),
        Step(
            any_of(
                interaction("disagree", *HOSTILE, between=("a", "b")),
                relationship(to_kinds=ENMITY_KINDS, between=("a", "b")),
                escalation(between=("a", "b")),
            ),
            label="clash",
            outcome="clash",
            text="{a} and {b} clashed over {c}",
            prediction="{a} and {b} may clash over {c}",
            tension=0.3,
            within=GOSSIP_WINDOW_TICKS,
        ),
    ),
    titles=("The Contest for {c}", "{a} and {b} Vie for {c}"),
    min_steps=2,
    climax=3,
    max_span=2 * GOSSIP_WINDOW_TICKS,
    aftermath="{c} may have to choose between {a} and {b}",
)

RIVAL_FACTIONS = Pattern(
    key="rival_factions",
    genre="power",
    roles={"a": "faction leader", "b": "faction leader"},
    steps=(
        Step(
            any_of(
                interaction(*WRONGS, between=("a", "b")),
                relationship(to_kinds=ENMITY_KINDS, between=("a", "b")),
            ),
            label="feud",
            outcome="enmity",
            prediction="{a} and {b} may become enemies",
            tension=0.15,
        ),
        Step(
            alliance("formed", members=("a",), alliance="g", outsider="b"),
            label="faction",
            text="{a} gathered allies in {g}",
            prediction="{a} may gather allies against {b}",
            tension=0.2,
            within=FEUD_WINDOW_TICKS * 2,
        ),
        Step(
            alliance("formed", members=("b",), alliance="h", outsider="a"),
            label="counter-faction",
            text="{b} answered with {h}",
            prediction="{b} may raise a faction of their own",
            tension=0.3,
            within=FEUD_WINDOW_TICKS * 2,
        ),
    ),
    titles=("The Struggle Between {g} and {h}", "{a} and {b}: A House Divided"),
    min_steps=2,
    climax=3,
    max_span=FEUD_WINDOW_TICKS * 4,
    aftermath="The factions of {a} and {b} may come to open conflict",
)

REVENGE = Pattern(
    key="revenge",
    genre="revenge",
    roles={"v": "avenger", "w": "offender"},
    steps=(
        Step(
            interaction(*WRONGS, by="w", to="v"),
            label="offence",
            outcome="wrong",
            prediction="{w} may wrong {v}",
            tension=0.2,
        ),
        Step(
            goal(intent="revenge", who="v", target="w"),
            label="vow",
            text="{v} swore revenge on {w}",
            prediction="{v} may plot revenge on {w}",
            tension=0.25,
            within=GOSSIP_WINDOW_TICKS,
        ),
        Step(
            any_of(
                interaction(*WRONGS, "argue", by="v", to="w"),
                goal(intent="revenge", kinds=("completed",), who="v", target="w"),
            ),
            label="revenge",
            text="{v} took revenge on {w}",
            prediction="{v} may strike back at {w}",
            tension=0.3,
            within=ROMANCE_WINDOW_TICKS,
        ),
    ),
    titles=("{v}'s Revenge", "An Eye for an Eye: {v} and {w}"),
    min_steps=2,
    climax=3,
    resolves=True,
    max_span=2 * ROMANCE_WINDOW_TICKS,
)

# The stories a reader sees in the interactions themselves, whichever path logged them (an API
# caller scripting a scene, or a tick): no derived relationship kind is needed.

ROMANCE = Pattern(
    key="romance",
    genre="romance",
    roles={"a": "admirer", "b": "admirer"},
    steps=(
        Step(
            # A flirt opens it: friends trade compliments and gifts without any romance.
            interaction("flirt", by="a", to="b"),
            label="advance",
            outcome="courting",
            text="{a} flirted with {b}",
            prediction="{a} may court {b}",
            tension=0.05,
        ),
        Step(
            interaction(*AMOROUS, by="b", to="a"),
            label="returned",
            text="{b} returned {a}'s attentions",
            prediction="{b} may return {a}'s attentions",
            tension=0.15,
            within=ROMANCE_WINDOW_TICKS // 2,
        ),
        Step(
            interaction(*AMOROUS, between=("a", "b")),
            label="courting",
            text="{a} and {b} kept seeking each other out",
            prediction="{a} and {b} may keep courting each other",
            tension=0.15,
            within=ROMANCE_WINDOW_TICKS // 2,
        ),
        Step(
            interaction(*AMOROUS, between=("a", "b")),
            label="in love",
            text="Everyone could see that {a} and {b} were falling in love",
            prediction="{a} and {b} may fall in love",
            tension=0.1,
            within=ROMANCE_WINDOW_TICKS // 2,
        ),
    ),
    titles=("{a} and {b}: A Romance", "A Romance Between {a} and {b}", "Sweethearts: {a} and {b}"),
    min_steps=3,
    climax=4,
    max_span=2 * ROMANCE_WINDOW_TICKS,
    unless=(interaction("insult", "threaten", "betray", between=("a", "b")),),
    aftermath="{a} and {b} may become a couple, unless someone comes between them",
    aftermath_outcome="couple",
)

RIVAL_SUITORS = Pattern(
    key="rival_suitors",
    genre="triangle",
    roles={"a": "suitor", "b": "beloved", "c": "rival suitor"},
    steps=(
        Step(
            interaction(*COURTING, by="a", to="b"),
            label="courting",
            outcome="courting",
            text="{a} courted {b}",
            prediction="{a} may court {b}",
            tension=0.1,
        ),
        Step(
            interaction(*COURTING, by="c", to="b"),
            label="rival suitor",
            text="{c} courted {b} too",
            prediction="Someone else may court {b}",
            tension=0.2,
            within=GOSSIP_WINDOW_TICKS,
        ),
        Step(
            interaction(*CLASHES, between=("a", "c")),
            label="jealousy",
            outcome="clash",
            text="{a} and {c} clashed over {b}",
            prediction="{a} and {c} may clash over {b}",
            tension=0.35,
            within=GOSSIP_WINDOW_TICKS,
        ),
        Step(
            interaction("insult", "threaten", "betray", between=("a", "c")),
            label="bitter rivals",
            outcome="enmity",
            text="The rivalry of {a} and {c} for {b} turned bitter",
            prediction="The rivalry of {a} and {c} for {b} may turn bitter",
            tension=0.3,
            within=GOSSIP_WINDOW_TICKS,
        ),
    ),
    titles=("{b} Between {a} and {c}", "The Rivals for {b}", "Two Suitors for {b}"),
    # Shown once the suitors clash: two admirers of one person are no story yet.
    min_steps=3,
    climax=4,
    max_span=2 * GOSSIP_WINDOW_TICKS,
    aftermath="{b} may have to choose between {a} and {c}",
)

# The same triangle told the other way round: two already at odds, then both court one person.
FEUDING_SUITORS = Pattern(
    key="feuding_suitors",
    genre="triangle",
    roles={"a": "suitor", "b": "beloved", "c": "rival suitor"},
    steps=(
        Step(
            any_of(
                interaction(*CLASHES, by="a", to="c"),
                interaction(*CLASHES, by="c", to="a"),
            ),
            label="feud",
            outcome="falling out",
            prediction="{a} may fall out with {c}",
            tension=0.15,
        ),
        Step(
            interaction(*COURTING, by="a", to="b"),
            label="courting",
            text="{a} courted {b}",
            prediction="{a} may court someone {c} cares for",
            tension=0.1,
            within=GOSSIP_WINDOW_TICKS,
        ),
        Step(
            interaction(*COURTING, by="c", to="b"),
            label="rival suitor",
            text="{c} courted {b} too, and the feud with {a} became a contest for {b}",
            prediction="{c} may court {b} too",
            tension=0.35,
            within=GOSSIP_WINDOW_TICKS,
        ),
    ),
    titles=RIVAL_SUITORS.titles,
    min_steps=3,
    max_span=2 * GOSSIP_WINDOW_TICKS,
    aftermath=RIVAL_SUITORS.aftermath,
)

COMMON_CAUSE = Pattern(
    key="common_cause",
    genre="alliance",
    roles={"a": "ally", "b": "ally", "c": "common foe"},
    steps=(
        Step(
            # Either may have started it: the foe is whoever is on the other side.
            any_of(
                interaction(*CLASHES, by="a", to="c"),
                interaction(*CLASHES, by="c", to="a"),
            ),
            label="foe",
            outcome="falling out",
            prediction="{a} may fall out with {c}",
            tension=0.15,
        ),
        Step(
            interaction(*CLASHES, between=("b", "c")),
            label="common foe",
            text="{b} was at odds with {c} too",
            prediction="Someone else may fall out with {c}",
            tension=0.15,
            within=FEUD_WINDOW_TICKS * 2,
        ),
        Step(
            interaction(*SUPPORT, between=("a", "b")),
            label="support",
            text="{a} and {b} stood by each other against {c}",
            prediction="{a} and {b} may stand together against {c}",
            tension=0.1,
            within=FEUD_WINDOW_TICKS * 2,
            unless=(interaction(*HOSTILE, between=("a", "b")),),
        ),
        Step(
            interaction(*SUPPORT, between=("a", "b")),
            label="common cause",
            text="{a} and {b} made common cause against {c}",
            prediction="{a} and {b} may make common cause against {c}",
            tension=0.15,
            within=FEUD_WINDOW_TICKS * 2,
            unless=(interaction(*HOSTILE, between=("a", "b")),),
        ),
    ),
    titles=("United Against {c}", "{a} and {b} Against {c}", "Common Cause: {a} and {b}"),
    min_steps=3,
    climax=4,
    max_span=FEUD_WINDOW_TICKS * 4,
    aftermath="{c} may strike back at {a} and {b}, or try to split them",
)

# The stories of people talking with characters (issue 15): a person speaks as a persona, and
# the turns of a conversation say how the character regarded the persona before and after
# (``talk``), when its feeling swung sharply (``arc_swing``) and when the person reached
# their goal (``talk_goal``). The persona role is bound from those events only, so these
# stories are about a person and a character, never two characters.

# How a character regards the persona, on strength and trust (either axis counts). Warm: a
# friend's affinity (``characters.engine.relationships.FRIEND_MIN_STRENGTH``, 0.3), trust
# alike. Cold: below zero, disliked or distrusted more than not (a stranger starts at 0).
WARM_STANDING = {"strength": FRIEND_MIN_STRENGTH, "trust": FRIEND_MIN_STRENGTH}
COLD_STANDING = {"strength": 0.0, "trust": 0.0}
# Goals that are about winning someone over ("win Bob's trust", "make Bob like me").
WINNING_AXES = ("trust", "strength")
# The sign of a character's affinity for the persona: crossing it either way reverses it.
TURNING_POINT = {"strength": 0.0}

WON_OVER = Pattern(
    key="won_over",
    genre="reconciliation",
    roles={"a": "won over", "p": "persona"},
    steps=(
        Step(
            talk(persona="p", character="a", was_below=COLD_STANDING, stays_below=WARM_STANDING),
            label="wary",
            text="{a} was wary of {p}",
            prediction="{a} may stay cold toward {p}",
            tension=0.1,
        ),
        Step(
            any_of(
                talk(persona="p", character="a", rises_past=WARM_STANDING),
                relationship(to_kinds=CLOSE_KINDS, source="a", target="p"),
                talk_goal(persona="p", character="a", axes=WINNING_AXES),
            ),
            label="won over",
            outcome="peace",
            text="{p} won {a} over",
            prediction="{p} may win {a} over",
            tension=-0.2,
            within=TRUST_WINDOW_TICKS,
        ),
    ),
    titles=("{p} Wins Over {a}", "Winning {a}'s Trust", "{a} Warms to {p}"),
    min_steps=2,
    climax=2,
    resolves=True,
    max_span=2 * TRUST_WINDOW_TICKS,
)

FALLING_OUT = Pattern(
    key="falling_out",
    genre="conflict",
    roles={"a": "estranged", "p": "persona"},
    steps=(
        Step(
            talk(*CLASHES, persona="p", character="a", was_above=WARM_STANDING),
            label="harsh words",
            text="{a} thought well of {p}, until {p} turned harsh",
            prediction="{p} may turn on {a}",
            tension=0.2,
        ),
        Step(
            any_of(
                talk(persona="p", character="a", falls_past=COLD_STANDING),
                relationship(to_kinds=ENMITY_KINDS, source="a", target="p"),
            ),
            label="falling-out",
            outcome="falling out",
            text="{a} turned cold toward {p}",
            prediction="{a} may turn cold toward {p}",
            tension=0.3,
            within=FEUD_WINDOW_TICKS,
        ),
    ),
    titles=(
        "The Falling-Out of {a} and {p}",
        "{a} Turns Cold on {p}",
        "A Friendship Soured: {a} and {p}",
    ),
    min_steps=2,
    climax=2,
    max_span=2 * FEUD_WINDOW_TICKS,
    # Making amends before the friendship is lost keeps it.
    unless=(interaction(*AMENDS, between=("a", "p")),),
    aftermath="{p} may try to win {a} back, or lose {a} for good",
)

CHANGE_OF_HEART = Pattern(
    key="change_of_heart",
    genre="drama",
    roles={"a": "changed heart", "p": "persona"},
    steps=(
        Step(
            arc_swing(persona="p", character="a"),
            label="turning point",
            prediction="{a}'s feelings toward {p} may swing",
            tension=0.15,
        ),
        Step(
            any_of(
                relationship(to_kinds=RELATIONSHIP_KINDS, source="a", target="p"),
                talk(persona="p", character="a", rises_past=TURNING_POINT),
                talk(persona="p", character="a", falls_past=TURNING_POINT),
            ),
            label="change of heart",
            text="{a} saw {p} in a new light",
            prediction="{a} may see {p} in a new light",
            tension=0.15,
            within=QUARREL_WINDOW_TICKS,
        ),
    ),
    titles=("{a}'s Change of Heart", "{a} Sees {p} Anew", "A Change of Heart: {a} and {p}"),
    min_steps=2,
    climax=2,
    # A turn, not an ending: the falling-out or the winning over it belongs to tells how the
    # story ends.
    max_span=2 * QUARREL_WINDOW_TICKS,
    aftermath="{a} may change their mind about {p} again",
)

# Order matters only for determinism (and which of two equally advanced matches names a
# merged story): the more dramatic shapes first.
PATTERNS: tuple[Pattern, ...] = (
    ESCALATING_CONFLICT,
    RIVALRY,
    BETRAYAL,
    LOVE_TRIANGLE,
    RIVAL_SUITORS,
    FEUDING_SUITORS,
    SECRET,
    POWER_STRUGGLE,
    RIVAL_FACTIONS,
    REVENGE,
    COMMON_CAUSE,
    COURTSHIP,
    ROMANCE,
    REDEMPTION,
    RECONCILIATION,
    ALLIANCE,
    FALLING_OUT,
    WON_OVER,
    CHANGE_OF_HEART,
)
PATTERNS_BY_KEY = {p.key: p for p in PATTERNS}
