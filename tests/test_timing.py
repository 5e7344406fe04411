"""The one timing rule (resnet_helpers.training.timing): set-up apart, the faster of two passes."""
import keras
import numpy as np
import pytest

from resnet_helpers.training import timing


class FakeClock:
    """``perf_counter`` for timing.py: advanced by the fake step function, not by the CPU."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_time_steps_separates_setup_and_keeps_the_faster_pass(monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(timing.time, "perf_counter", clock)
    calls = []
    per_pass = iter([0.05, 0.02])  # the first timed pass is slower (a busy moment)

    def run(n):
        calls.append(n)
        # warm-up: 2 s of tracing plus 0.02 s per step; timed passes at their step time
        clock.now += 2.0 + 0.02 * n if len(calls) == 1 else next(per_pass) * n

    per_step, setup = timing.time_steps(run, steps=4, warmup=3)
    assert calls == [3, 4, 4]
    assert per_step == pytest.approx(0.02)
    assert setup == pytest.approx(2.0)


def test_time_steps_without_warmup_reports_no_setup(monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(timing.time, "perf_counter", clock)

    def run(n):
        clock.now += 0.5 * n

    assert timing.time_steps(run, steps=2, warmup=0) == (pytest.approx(0.5), 0.0)


@pytest.mark.parametrize("steps, warmup", [(0, 1), (2, -1), (1.5, 1), (True, 1)])
def test_time_steps_refuses_bad_counts(steps, warmup):
    with pytest.raises(ValueError, match="whole number"):
        timing.time_steps(lambda n: None, steps=steps, warmup=warmup)


def test_random_batches_trains_the_model_on_n_batches():
    model = keras.Sequential([keras.Input((8, 8, 3)), keras.layers.Flatten(),
                              keras.layers.Dense(5, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    fit = timing.random_batches(model, batch_size=4, count=3)
    history = fit(2)
    assert model.optimizer.iterations.numpy() == 2  # two batches of four
    assert np.isfinite(history.history["loss"][0])
    with pytest.raises(ValueError, match="only 3 were made"):
        fit(4)
