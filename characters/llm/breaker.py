"""A circuit breaker per provider: stop calling a provider that keeps failing, try again later.

States: *closed* (requests flow), *open* after ``failures`` consecutive failed requests (every
request is skipped until ``cooldown_seconds`` have passed), then *half-open* (one trial request
is let through; success closes the breaker, failure opens it for another cool-down).

State lives in this process's memory, keyed by provider name, guarded by a lock so worker threads
share it. Each process (web, every Celery worker) learns on its own: a dead provider costs each
process at most ``failures`` requests per cool-down, a price worth not sharing state over Redis,
which would add a round-trip to every dialogue line. A restart closes every breaker.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


@dataclass(frozen=True)
class BreakerPolicy:
    failures: int  # consecutive failed requests that open the breaker
    cooldown_seconds: float  # how long it stays open before a trial request


class CircuitBreaker:
    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._consecutive_failures = 0
        self._opened_at: float | None = None
        self._trial_started_at: float | None = None

    def state(self, *, policy: BreakerPolicy) -> BreakerState:
        with self._lock:
            return self._state(policy)

    def allow(self, *, policy: BreakerPolicy) -> bool:
        """May a request go out now? In half-open only one caller at a time gets the trial."""
        with self._lock:
            state = self._state(policy)
            if state is BreakerState.CLOSED:
                return True
            if state is BreakerState.OPEN:
                return False
            # A trial whose caller never reported (killed mid-request) expires after a cool-down.
            now = self._clock()
            started = self._trial_started_at
            if started is None or now - started >= policy.cooldown_seconds:
                self._trial_started_at = now
                return True
            return False

    def record_success(self) -> None:
        with self._lock:
            self._consecutive_failures = 0
            self._opened_at = None
            self._trial_started_at = None

    def record_failure(self, *, policy: BreakerPolicy) -> None:
        with self._lock:
            self._consecutive_failures += 1
            was_trial = self._trial_started_at is not None
            self._trial_started_at = None
            if was_trial or self._consecutive_failures >= policy.failures:
                self._opened_at = self._clock()

    def _state(self, policy: BreakerPolicy) -> BreakerState:
        if self._opened_at is None:
            return BreakerState.CLOSED
        if self._clock() - self._opened_at < policy.cooldown_seconds:
            return BreakerState.OPEN
        return BreakerState.HALF_OPEN


_breakers: dict[str, CircuitBreaker] = {}
_registry_lock = threading.Lock()


def breaker_for(*, provider_name: str) -> CircuitBreaker:
    with _registry_lock:
        breaker = _breakers.get(provider_name)
        if breaker is None:
            breaker = _breakers[provider_name] = CircuitBreaker()
        return breaker


def breakers_reset() -> None:
    """Close every breaker in this process (tests; an operator's shell after fixing a provider)."""
    with _registry_lock:
        _breakers.clear()
