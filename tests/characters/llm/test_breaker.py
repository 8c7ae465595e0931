from characters.llm.breaker import BreakerPolicy, BreakerState, CircuitBreaker

POLICY = BreakerPolicy(failures=3, cooldown_seconds=10.0)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_breaker_opens_after_the_configured_consecutive_failures():
    breaker = CircuitBreaker(clock=FakeClock())

    for _ in range(2):
        breaker.record_failure(policy=POLICY)
    assert breaker.allow(policy=POLICY)
    breaker.record_failure(policy=POLICY)

    assert breaker.state(policy=POLICY) is BreakerState.OPEN
    assert not breaker.allow(policy=POLICY)


def test_a_success_resets_the_count_of_consecutive_failures():
    breaker = CircuitBreaker(clock=FakeClock())

    breaker.record_failure(policy=POLICY)
    breaker.record_failure(policy=POLICY)
    breaker.record_success()
    breaker.record_failure(policy=POLICY)

    assert breaker.state(policy=POLICY) is BreakerState.CLOSED


def test_after_the_cool_down_one_trial_is_let_through_and_its_success_closes_the_breaker():
    clock = FakeClock()
    breaker = CircuitBreaker(clock=clock)
    for _ in range(3):
        breaker.record_failure(policy=POLICY)

    clock.now += 10.0

    assert breaker.state(policy=POLICY) is BreakerState.HALF_OPEN
    assert breaker.allow(policy=POLICY)
    assert not breaker.allow(policy=POLICY), "only one trial at a time"
    breaker.record_success()
    assert breaker.state(policy=POLICY) is BreakerState.CLOSED


def test_a_failed_trial_opens_the_breaker_for_another_cool_down():
    clock = FakeClock()
    breaker = CircuitBreaker(clock=clock)
    for _ in range(3):
        breaker.record_failure(policy=POLICY)
    clock.now += 10.0

    assert breaker.allow(policy=POLICY)
    breaker.record_failure(policy=POLICY)

    assert breaker.state(policy=POLICY) is BreakerState.OPEN
    clock.now += 9.0
    assert not breaker.allow(policy=POLICY)


def test_a_trial_whose_caller_never_reported_expires_after_a_cool_down():
    clock = FakeClock()
    breaker = CircuitBreaker(clock=clock)
    for _ in range(3):
        breaker.record_failure(policy=POLICY)
    clock.now += 10.0
    assert breaker.allow(policy=POLICY)

    clock.now += 10.0

    assert breaker.allow(policy=POLICY)
