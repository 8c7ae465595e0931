"""Server-rendered pages: the home pitch, the dashboard, the Observatory, the Director and the
character page. Every page works without JavaScript; ``static/js`` makes them live.

Permissions, checked on every page and action: the owner may do everything; any signed-in
user may read a public world's pages but not act in it (403); anyone else gets 404 for a
private world, so its existence is not revealed.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from billing.services import subscription_ensure
from characters.engine.emotions import CALM_BELOW, mood_name
from characters.models import BIG_FIVE, PLUTCHIK, Character
from characters.selectors import memories_recent, memories_search
from core.errors import DomainError, PlanLimitReached
from ecosystems import access, selectors
from ecosystems.branding import branding_for
from ecosystems.demo import ecosystem_create_from_demo
from ecosystems.feed import (
    EMOTION_COLOURS,
    KIND_COLOURS,
    event_line,
    event_mentions,
)
from ecosystems.forms import (
    BundleImportForm,
    InterventionForm,
    ScenarioForm,
    SceneForm,
    WorldCreateForm,
)
from ecosystems.models import Ecosystem, Event, Relationship, Scenario
from ecosystems.redaction import redactor_for
from ecosystems.services import ecosystem_create, ecosystem_pause, ecosystem_start
from ecosystems.services.director import (
    director_intervene,
    scenario_create,
    scenario_from_template,
    scenario_start,
    scene_direct,
)

FEED_LENGTH = 40  # events in the server-rendered feed; the live feed keeps 100
CONVERSATIONS_SHOWN = 12
MEMORIES_PER_PAGE = 12
FEED_KINDS_HIDDEN = ("tick",)  # the header's clock shows ticks; the feed shows what happened


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


# --- permissions --------------------------------------------------------------------------------


def world_for(request: HttpRequest, ecosystem_id: UUID, *, act: bool = False) -> Ecosystem:
    """The world if ``request.user`` may see it (404 otherwise); ``act=True`` also requires
    that they may change it (403 for a visitor of a public world). See ``ecosystems.access``."""
    return access.world_for(request.user, ecosystem_id, edit=act)


def render_world(
    request: HttpRequest,
    world: Ecosystem,
    template: str,
    context: dict[str, Any],
    *,
    status: int = 200,
) -> HttpResponse:
    """A page of ``world`` as ``request.user`` may see it: for a visitor of a public world
    every secret on the rendered page is redacted (``ecosystems.redaction``), whichever part
    of the template printed it. The page carries the world's ``branding`` (white label) and,
    for its owner, ``plan_banner`` when their plan holds it back (a banner saying what to remove
    or where to upgrade; forms it would refuse are disabled)."""
    context = {
        "branding": branding_for(ecosystem=world),
        "plan_banner": selectors.plan_banner_for(world=world, user=request.user),
        **context,
    }
    response = render(request, template, context, status=status)
    redactor = redactor_for(user=request.user, world=world)
    if redactor.hides_anything:
        response.content = redactor.html(response.content.decode()).encode()
    return response


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _done(
    request: HttpRequest, to: str, *, ok: bool, message: str, status: int = 200
) -> HttpResponse:
    """The answer to an action: JSON for the page's script, else a message and a redirect."""
    if _wants_json(request):
        return JsonResponse({"ok": ok, "message": message}, status=status if not ok else 200)
    (messages.success if ok else messages.error)(request, message)
    return redirect(to)


def _refused(error: DomainError, otherwise: int) -> int:
    """A refused action's status: 402 for the plan's limits (as in the API), else ``otherwise``."""
    return 402 if isinstance(error, PlanLimitReached) else otherwise


def _form_problem(form: Any) -> str:
    return " ".join(
        f"{'' if k == '__all__' else k + ': '}{' '.join(v)}" for k, v in form.errors.items()
    )


# --- dashboard --------------------------------------------------------------------------------


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    worlds = selectors.ecosystems_for_owner(owner=request.user)
    plan = subscription_ensure(user=request.user).plan
    banner = selectors.plan_banner_for(user=request.user)
    return render(
        request,
        "dashboard.html",
        {
            "worlds": worlds,
            "form": WorldCreateForm(),
            "import_form": BundleImportForm(),
            "plan": plan,
            "plan_banner": banner,
        },
    )


@login_required
@require_POST
def world_create(request: HttpRequest) -> HttpResponse:
    form = WorldCreateForm(request.POST)
    if not form.is_valid():
        worlds = selectors.ecosystems_for_owner(owner=request.user)
        plan = subscription_ensure(user=request.user).plan
        context = {"worlds": worlds, "form": form, "import_form": BundleImportForm(), "plan": plan}
        return render(request, "dashboard.html", context, status=400)
    try:
        world = ecosystem_create(owner=request.user, **form.cleaned_data)
    except DomainError as error:
        return _done(request, reverse("dashboard"), ok=False, message=error.message, status=400)
    messages.success(request, f"{world.name} is ready. Add characters to bring it to life.")
    return redirect("observatory", ecosystem_id=world.pk)


@login_required
@require_POST
def world_create_from_demo(request: HttpRequest) -> HttpResponse:
    try:
        copy = ecosystem_create_from_demo(owner=request.user, within_plan=True)
    except DomainError as error:
        return _done(request, reverse("dashboard"), ok=False, message=error.message, status=402)
    message = f"{copy.ecosystem.name} is ready: start it to watch it live."
    if copy.left_out:
        message += f" {copy.limit_note}, so {', '.join(copy.left_out)} stayed home."
    messages.success(request, message)
    return redirect("observatory", ecosystem_id=copy.ecosystem.pk)


def _run_control(
    request: HttpRequest, ecosystem_id: UUID, service: Callable[..., Ecosystem], done: str
) -> HttpResponse:
    ecosystem = get_object_or_404(access.editable_worlds(request.user), id=ecosystem_id)
    back = request.POST.get("next") or reverse("dashboard")
    if not back.startswith("/") or back.startswith("//"):
        back = reverse("dashboard")
    try:
        service(ecosystem=ecosystem)
    except DomainError as error:
        return _done(request, back, ok=False, message=error.message, status=_refused(error, 409))
    return _done(request, back, ok=True, message=f"{ecosystem.name} {done}.")


@login_required
@require_POST
def ecosystem_start_view(request: HttpRequest, ecosystem_id: UUID) -> HttpResponse:
    return _run_control(request, ecosystem_id, ecosystem_start, "is running")


@login_required
@require_POST
def ecosystem_pause_view(request: HttpRequest, ecosystem_id: UUID) -> HttpResponse:
    return _run_control(request, ecosystem_id, ecosystem_pause, "is paused")


# --- the Observatory ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedItem:
    event: Event
    line: str
    when: dt.datetime  # the world clock at the event: pages show it, not the tick


@dataclass(frozen=True)
class Watch:
    """A feed filtered to a story's cast ("watch live")."""

    title: str
    character_ids: frozenset[str]
    back_url: str = ""


@dataclass
class Conversation:
    event: Event
    when: dt.datetime
    speakers: list[dict[str, Any]] = field(default_factory=list)


def _graph(
    ecosystem: Ecosystem, characters: Iterable[Character], relationships: Iterable[Relationship]
) -> dict[str, Any]:
    return {
        "nodes": [
            {
                "id": str(c.pk),
                "name": c.name,
                "emotion": mood_name(c.emotions),
                "active": c.is_active,
                "person": c.persona_of_id is not None,
                "url": reverse("character", args=[ecosystem.pk, c.pk]),
            }
            for c in characters
        ],
        "edges": [
            {
                "id": f"{r.source_id}>{r.target_id}",
                "source": str(r.source_id),
                "target": str(r.target_id),
                "kind": r.kind,
                "strength": round(r.strength, 3),
            }
            for r in relationships
        ],
    }


def _conversation(ecosystem: Ecosystem, event: Event) -> Conversation:
    data = event.payload
    states = data.get("emotional_states") or {}
    speakers = [
        {**p, "emotion": mood_name(states.get(str(p.get("id"))))}
        for p in data.get("participants") or []
    ]
    return Conversation(event=event, when=ecosystem.clock_at(event.tick), speakers=speakers)


def observatory_render(
    request: HttpRequest,
    ecosystem: Ecosystem,
    *,
    story_threads: int,
    watch: Watch | None = None,
) -> HttpResponse:
    """The Observatory of a world the caller may see (``world_for``). ``story_threads`` comes
    from the stories app, which owns stories (ecosystems never imports it)."""
    characters = list(selectors.characters_for_world(ecosystem=ecosystem))
    for character in characters:
        character.dominant = mood_name(character.emotions)
    events = selectors.events_recent(
        ecosystem=ecosystem, limit=FEED_LENGTH * (3 if watch else 1), exclude=FEED_KINDS_HIDDEN
    )
    if watch:
        events = [e for e in events if event_mentions(e.payload) & watch.character_ids]
        events = events[:FEED_LENGTH]
    talks = selectors.events_recent(
        ecosystem=ecosystem, limit=CONVERSATIONS_SHOWN, kinds=["character_interaction"]
    )
    is_owner = access.can_edit(request.user, ecosystem)
    relationships = list(selectors.relationships_for_graph(ecosystem=ecosystem))
    return render_world(
        request,
        ecosystem,
        "ecosystems/observatory.html",
        {
            "world": ecosystem,
            "is_owner": is_owner,
            "figures": selectors.observatory_figures(ecosystem=ecosystem),
            "story_threads": story_threads,
            "characters": characters,
            "relationships": relationships,
            "feed": [
                FeedItem(e, event_line(e.kind, e.payload), ecosystem.clock_at(e.tick))
                for e in events
            ],
            "conversations": [_conversation(ecosystem, e) for e in talks],
            "form": InterventionForm(ecosystem=ecosystem) if is_owner else None,
            "watch": watch,
            "kind_colours": KIND_COLOURS,
            "live": {
                "ws": f"/ws/ecosystems/{ecosystem.pk}/",
                "after": ecosystem.last_event_seq,
                "graph": _graph(ecosystem, characters, relationships),
                "colours": KIND_COLOURS,
                "emotionColours": EMOTION_COLOURS,
                # the mood rule of characters.engine.emotions.mood_name, for the live page
                "mood": {"calmBelow": CALM_BELOW, "order": PLUTCHIK},
                "watch": sorted(watch.character_ids) if watch else [],
                # live entries show the world clock at their tick, as the page's do
                "clock": {
                    "start": ecosystem.world_start.isoformat(),
                    "minutesPerTick": ecosystem.minutes_per_tick,
                },
            },
        },
    )


@login_required
@require_POST
def intervene(request: HttpRequest, ecosystem_id: UUID) -> HttpResponse:
    ecosystem = world_for(request, ecosystem_id, act=True)
    back = reverse("observatory", args=[ecosystem.pk])
    form = InterventionForm(request.POST, ecosystem=ecosystem)
    if not form.is_valid():
        return _done(request, back, ok=False, message=_form_problem(form), status=400)
    try:
        result = director_intervene(
            ecosystem=ecosystem,
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
            character_ids=form.character_ids(),
        )
    except DomainError as error:
        return _done(request, back, ok=False, message=error.message, status=_refused(error, 400))
    return _done(
        request, back, ok=True, message=event_line(result.event.kind, result.event.payload)
    )


# --- the Director -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectiveProgress:
    character: Character
    description: str
    key: str
    progress: float
    hidden: bool


def _scenario_progress(scenario: Scenario, *, with_hidden: bool) -> list[ObjectiveProgress]:
    """Each cast member's progress on the goals the scenario gave them. Goal keys end in the
    objective's index: the primary and subplots first, then the hidden ones (only the owner
    sees those)."""
    prefix = f"short:scenario:{str(scenario.pk)[:8]}:"
    objectives = scenario.objectives or {}
    shared = len([t for t in [objectives.get("primary"), *objectives.get("subplots", [])] if t])
    rows = []
    for character in scenario.characters.all():
        for goal in character.short_term_goals:
            key = str(goal.get("key", ""))
            if not key.startswith(prefix):
                continue
            index = key.removeprefix(prefix)
            hidden = index.isdigit() and int(index) >= shared
            if hidden and not with_hidden:
                continue
            progress = float(goal.get("progress", 0.0))
            rows.append(ObjectiveProgress(character, goal["description"], key, progress, hidden))
    return rows


@login_required
def director(request: HttpRequest, ecosystem_id: UUID) -> HttpResponse:
    ecosystem = world_for(request, ecosystem_id)
    return _director_page(request, ecosystem)


def _director_page(
    request: HttpRequest,
    ecosystem: Ecosystem,
    *,
    scenario_form: ScenarioForm | None = None,
    scene_form: SceneForm | None = None,
    status: int = 200,
) -> HttpResponse:
    scenarios = list(selectors.scenarios_for_world(ecosystem=ecosystem))
    active = next(
        (s for s in scenarios if s.status == Scenario.Status.ACTIVE and not s.is_template), None
    )
    is_owner = access.can_edit(request.user, ecosystem)
    return render_world(
        request,
        ecosystem,
        "ecosystems/director.html",
        {
            "world": ecosystem,
            "is_owner": is_owner,
            "active": active,
            "progress": _scenario_progress(active, with_hidden=is_owner) if active else [],
            "drafts": [
                s for s in scenarios if s.status == Scenario.Status.DRAFT and not s.is_template
            ],
            "templates": [s for s in scenarios if s.is_template],
            "done": [
                s for s in scenarios if s.status == Scenario.Status.COMPLETED and not s.is_template
            ],
            "scenario_form": scenario_form or ScenarioForm(ecosystem=ecosystem),
            "scene_form": scene_form or SceneForm(ecosystem=ecosystem),
            "live": {"ws": f"/ws/ecosystems/{ecosystem.pk}/", "after": ecosystem.last_event_seq},
        },
        status=status,
    )


@login_required
@require_POST
def scenario_create_view(request: HttpRequest, ecosystem_id: UUID) -> HttpResponse:
    ecosystem = world_for(request, ecosystem_id, act=True)
    form = ScenarioForm(request.POST, ecosystem=ecosystem)
    if not form.is_valid():
        return _director_page(request, ecosystem, scenario_form=form, status=400)
    data = form.cleaned_data
    try:
        scenario = scenario_create(
            ecosystem=ecosystem,
            title=data["title"],
            setting=data["setting"],
            mood=data["mood"],
            character_ids=data["characters"],
            objectives=form.objectives(),
            is_template=data["save_as_template"],
        )
    except DomainError as error:
        form.add_error(None, error.message)
        return _director_page(request, ecosystem, scenario_form=form, status=_refused(error, 400))
    what = "template" if scenario.is_template else "draft scenario"
    messages.success(request, f"Saved {scenario.title!r} as a {what}.")
    return redirect("director", ecosystem_id=ecosystem.pk)


def _scenario_for(request: HttpRequest, ecosystem_id: UUID, scenario_id: UUID) -> Scenario:
    ecosystem = world_for(request, ecosystem_id, act=True)
    return get_object_or_404(Scenario, pk=scenario_id, ecosystem=ecosystem)


@login_required
@require_POST
def scenario_start_view(
    request: HttpRequest, ecosystem_id: UUID, scenario_id: UUID
) -> HttpResponse:
    scenario = _scenario_for(request, ecosystem_id, scenario_id)
    back = reverse("director", args=[ecosystem_id])
    try:
        scenario_start(scenario=scenario)
    except DomainError as error:
        return _done(request, back, ok=False, message=error.message, status=_refused(error, 409))
    return _done(request, back, ok=True, message=f"Scenario {scenario.title!r} has started.")


@login_required
@require_POST
def scenario_reuse_view(
    request: HttpRequest, ecosystem_id: UUID, scenario_id: UUID
) -> HttpResponse:
    template = _scenario_for(request, ecosystem_id, scenario_id)
    back = reverse("director", args=[ecosystem_id])
    try:
        scenario = scenario_from_template(template=template)
    except DomainError as error:
        return _done(request, back, ok=False, message=error.message, status=_refused(error, 400))
    return _done(request, back, ok=True, message=f"New draft {scenario.title!r} from the template.")


@login_required
@require_POST
def scene_direct_view(request: HttpRequest, ecosystem_id: UUID) -> HttpResponse:
    ecosystem = world_for(request, ecosystem_id, act=True)
    form = SceneForm(request.POST, ecosystem=ecosystem)
    if not form.is_valid():
        if _wants_json(request):
            return JsonResponse({"ok": False, "message": _form_problem(form)}, status=400)
        return _director_page(request, ecosystem, scene_form=form, status=400)
    data = form.cleaned_data
    back = reverse("director", args=[ecosystem.pk])
    try:
        result = scene_direct(
            ecosystem=ecosystem,
            initiator_id=data["initiator"],
            target_id=data["target"],
            interaction_type=data["interaction_type"],
            content=data["content"],
        )
    except DomainError as error:
        return _done(request, back, ok=False, message=error.message, status=_refused(error, 400))
    outcome = result.interactions[0] if result.interactions else None
    reply = getattr(outcome, "response", "") if outcome else ""
    message = result.event.payload.get("text", "The scene was played.")
    if reply:
        message += f" The reply: “{reply}”"
    return _done(request, back, ok=True, message=message)


# --- the character page and memory browser -----------------------------------------------------

RADAR_CENTRE = 130.0
RADAR_RADIUS = 95.0


def _radar(values: dict[str, float]) -> dict[str, Any]:
    """SVG geometry of a Big Five radar: the polygon, the axes, the rings and the labels."""

    def point(i: int, r: float) -> tuple[float, float]:
        angle = -math.pi / 2 + i * 2 * math.pi / len(BIG_FIVE)
        return (
            round(RADAR_CENTRE + r * math.cos(angle), 1),
            round(RADAR_CENTRE + r * math.sin(angle), 1),
        )

    axes = []
    for i, trait in enumerate(BIG_FIVE):
        x, y = point(i, RADAR_RADIUS)
        lx, ly = point(i, RADAR_RADIUS + 18)
        anchor = (
            "middle" if abs(lx - RADAR_CENTRE) < 5 else ("start" if lx > RADAR_CENTRE else "end")
        )
        axes.append({"trait": trait, "x": x, "y": y, "lx": lx, "ly": ly, "anchor": anchor})
    rings = [
        " ".join(f"{x},{y}" for x, y in (point(i, RADAR_RADIUS * f) for i in range(len(BIG_FIVE))))
        for f in (0.25, 0.5, 0.75, 1.0)
    ]
    shape = " ".join(
        f"{x},{y}" for x, y in (point(i, RADAR_RADIUS * values[t]) for i, t in enumerate(BIG_FIVE))
    )
    return {"axes": axes, "rings": rings, "shape": shape, "c": RADAR_CENTRE}


@login_required
def character_page(request: HttpRequest, ecosystem_id: UUID, character_id: UUID) -> HttpResponse:
    ecosystem = world_for(request, ecosystem_id)
    character = get_object_or_404(Character, pk=character_id, ecosystem=ecosystem)
    query = request.GET.get("q", "").strip()[:200]
    redactor = redactor_for(user=request.user, world=ecosystem)
    found = memories_search(character=character, text=query, limit=20) if query else None
    found = redactor.search_results(found) if found is not None else None
    page = Paginator(memories_recent(character=character), MEMORIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    history = selectors.character_emotion_history(character=character)
    series = [
        {
            "tick": e.tick,
            "seq": e.seq,
            **{k: e.payload["emotional_states"][str(character.pk)].get(k, 0.0) for k in PLUTCHIK},
        }
        for e in history
    ]
    relationships = list(selectors.relationships_of_character(character=character))
    for r in relationships:
        r.recent_changes = list(r.changes.all())[:5]
    return render_world(
        request,
        ecosystem,
        "ecosystems/character.html",
        {
            "world": ecosystem,
            "is_owner": access.can_edit(request.user, ecosystem),
            "character": character,
            "radar": _radar(character.big_five),
            "big_five": [(t, character.big_five[t]) for t in BIG_FIVE],
            "emotions": [(e, float(character.emotions.get(e, 0.0))) for e in PLUTCHIK],
            "dominant": mood_name(character.emotions),
            "history": series,
            "history_tail": series[-8:][::-1],
            "relationships": relationships,
            "goal_groups": [
                ("Long-term", redactor.goals(character.long_term_goals)),
                ("Short-term", redactor.goals(character.short_term_goals)),
            ],
            "query": query,
            "found": found,
            "page": page,
            "important": selectors.memories_by_importance(character=character),
            "reflections": selectors.reflections_with_evidence(character=character),
            "consolidations": selectors.consolidations_of_character(character=character),
            "emotion_names": PLUTCHIK,
        },
    )
