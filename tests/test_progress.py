"""The course's progress display: one line per epoch in a notebook, no terminal control codes."""
import numpy as np

import keras

from resnet_helpers.training.callbacks import CompactProgbar, in_notebook


class FakeHandle:
    def __init__(self, shown):
        self.shown = shown

    def update(self, obj, raw=False):
        self.shown[-1].append(obj["text/plain"])


def fit_tiny(callback, epochs=2):
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    x, y = np.random.default_rng(0).normal(size=(32, 4)), np.arange(32) % 3
    model.fit(x, y, batch_size=8, epochs=epochs, validation_data=(x, y), verbose=1,
              callbacks=[callback])


def test_notebook_progress_is_one_line_per_epoch_updated_in_place(monkeypatch):
    shown: list[list[str]] = []  # one list of texts per display (i.e. per epoch)

    def fake_display(obj, raw=False, display_id=None):
        assert raw and display_id is True
        shown.append([obj["text/plain"]])
        return FakeHandle(shown)

    monkeypatch.setattr("IPython.display.display", fake_display)
    fit_tiny(CompactProgbar(interval=0.0, notebook=True))
    assert len(shown) == 2                        # one display per epoch, nothing else printed
    assert all(len(texts) >= 4 for texts in shown)  # updated in place during the epoch
    final = [texts[-1] for texts in shown]
    assert final[0].startswith("Epoch 1/2 [====================] 4/4")
    assert final[1].startswith("Epoch 2/2 [====================] 4/4")
    assert "loss:" in final[1] and "val_accuracy:" in final[1]
    assert all("\n" not in t and "\x08" not in t and "\x1b" not in t
               for texts in shown for t in texts)


def test_script_progress_is_keras_bar(capsys):
    assert not in_notebook()
    fit_tiny(CompactProgbar(notebook=False), epochs=1)
    out = capsys.readouterr().out
    assert "4/4" in out and "val_loss" in out


def test_stored_notebook_keeps_one_short_line_per_epoch(tmp_path):
    """Executed like the lessons (papermill, a real kernel): the training cell stores one plain
    line per epoch, where Keras's bar stores tens of kB of backspaces and ANSI codes."""
    import nbformat
    import papermill

    code = ("import numpy as np, keras\n"
            "from resnet_helpers.training.callbacks import CompactProgbar\n"
            "model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, "
            "activation='softmax')])\n"
            "model.compile('sgd', 'sparse_categorical_crossentropy', metrics=['accuracy'])\n"
            "x, y = np.random.default_rng(0).normal(size=(4000, 4)), np.arange(4000) % 3\n"
            "model.fit(x, y, batch_size=8, epochs=3, verbose=1, callbacks=[CompactProgbar("
            "interval=0.01)])\n"
            "None")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nbformat.write(nb, tmp_path / "in.ipynb")
    papermill.execute_notebook(str(tmp_path / "in.ipynb"), str(tmp_path / "out.ipynb"),
                               kernel_name="python3", progress_bar=False, cwd=str(tmp_path))
    outputs = nbformat.read(tmp_path / "out.ipynb", as_version=4).cells[0].outputs
    texts = [o.get("text") or o.get("data", {}).get("text/plain", "") for o in outputs]
    stored = "".join(texts)
    assert len(outputs) == 3, texts            # one display per epoch, updated in place
    assert [t.split(" [")[0] for t in texts] == ["Epoch 1/3", "Epoch 2/3", "Epoch 3/3"]
    assert all("500/500" in t for t in texts)  # the final state of each epoch's line
    assert "\x08" not in stored and "\x1b" not in stored and len(stored) < 1000
