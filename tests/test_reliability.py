"""Interrupted training loses nothing; several replicas train like one device."""
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

SCRIPT = Path(__file__).with_name("_train_tiny.py")


def _start(run_dir, epochs, *extra):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, str(SCRIPT), str(run_dir), str(epochs), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)


def _finish(proc, timeout=600):
    out, _ = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, out
    result = json.loads(next(l for l in out.splitlines() if l.startswith("RESULT "))[7:])
    return result, [int(l.split()[1]) for l in out.splitlines() if l.startswith("EPOCH_DONE")]


def test_killed_training_resumes_where_it_stopped(tmp_path):
    epochs = 5
    reference, _ = _finish(_start(tmp_path / "reference", epochs))

    run = tmp_path / "interrupted"
    proc = _start(run, epochs, "--sleep", "3")
    for line in proc.stdout:  # kill it (no clean-up possible) right after epoch 2 finished
        if line.startswith("EPOCH_DONE 2"):
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert (run / "backup").exists() and not (run / "model.keras").exists()
    done_before = [r["epoch"] for r in json.loads((run / "history.json").read_text())["epochs"]]
    assert done_before == [1, 2]

    resumed, epochs_run = _finish(_start(run, epochs))
    assert epochs_run == [3, 4, 5]  # it continued, it did not start again
    assert resumed["epochs"] == reference["epochs"] == epochs
    assert resumed["history"]["epoch"] == [1, 2, 3, 4, 5]  # every epoch once
    # the schedule continued: the learning rate of each epoch matches the uninterrupted run's
    np.testing.assert_allclose(resumed["history"]["learning_rate"],
                               reference["history"]["learning_rate"], rtol=1e-5)
    assert resumed["history"]["loss"][-1] <= resumed["history"]["loss"][0]
    assert (run / "model.keras").exists() and (run / "best.keras").exists()
    assert not (run / "backup").exists()  # finished: the resume state is cleaned up
    assert not list(run.glob(".*partial*"))  # no temporary file left behind

    # the finished run is not overwritten by a new call
    proc = _start(run, epochs)
    out, _ = proc.communicate(timeout=600)
    assert proc.returncode != 0 and "RESULT" not in out


def test_two_replicas_follow_the_single_device_trajectory(tmp_path):
    single, _ = _finish(_start(tmp_path / "one", 3))
    mirrored, _ = _finish(_start(tmp_path / "two", 3, "--replicas", "2"))
    assert single["replicas"] == 1 and mirrored["replicas"] == 2
    # BatchNorm statistics are per replica (16 images each instead of 32), so the trajectories
    # agree closely but not exactly
    np.testing.assert_allclose(mirrored["history"]["loss"], single["history"]["loss"], rtol=0.1)
    assert mirrored["history"]["loss"][-1] < mirrored["history"]["loss"][0]


def test_model_built_outside_the_scope_is_refused():
    import tensorflow as tf

    import resnet_helpers as rh
    from resnet_helpers.training.distribute import check_built_in_scope

    class FakeStrategy:  # two replicas, no variable created in its scope
        num_replicas_in_sync = 2

        class extended:
            @staticmethod
            def variable_created_in_scope(v):
                return False

    with pytest.raises(ValueError, match="strategy.scope"):
        check_built_in_scope(rh.build_resnet(8), FakeStrategy())
    check_built_in_scope(rh.build_resnet(8), tf.distribute.get_strategy())  # default: fine


def test_scale_for_replicas():
    import resnet_helpers as rh

    class Two:
        num_replicas_in_sync = 2

    assert rh.scale_for_replicas(128, 0.1, Two()) == (256, 0.2)
