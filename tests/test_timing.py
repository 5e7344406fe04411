"""The timing rules (resnet_helpers.training.timing): set-up apart, the faster of two passes;
and for lesson 03's probe, the median step inside one ``fit``."""
import time

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


class _Sleep(keras.layers.Layer):
    """Adds a known wait to every step (the model runs eagerly, so Python runs each call)."""

    def call(self, x):
        time.sleep(0.05)
        return x


def test_time_fit_steps_measures_a_steps_time_inside_one_fit():
    inputs = keras.Input((4, 4, 3))
    outputs = keras.layers.Dense(10, activation="softmax")(
        keras.layers.Flatten()(_Sleep()(inputs)))
    model = keras.Model(inputs, outputs)
    model.compile("sgd", "sparse_categorical_crossentropy", run_eagerly=True)
    per_step, setup = timing.time_fit_steps(model, batch_size=4, steps=3, warmup=1)
    assert 0.05 <= per_step < 0.5 and setup >= 0.0
    for bad in ({"steps": 0}, {"warmup": 0}, {"steps": True}):
        with pytest.raises(ValueError, match="must be a whole number >= 1"):
            timing.time_fit_steps(model, batch_size=4, **{"steps": 2, "warmup": 1, **bad})
