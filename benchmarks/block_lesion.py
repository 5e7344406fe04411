"""What residual blocks contribute to trained networks: lessons 03 and 04's measurements.

    python benchmarks/block_lesion.py [--images 10000] [--pairs] MODEL ...

MODEL is a ``.keras`` file (e.g. a lesson-03 run folder's ``model.keras``) or the name of a
shipped network (``resnet20``). For each, on the first ``--images`` CIFAR-10 test images (the
course's JPEG copy from ``$CIFAR10_SOURCE``): the accuracy of the intact network and with each
removable residual block deleted alone (``rh.lesion_study``: the branch's last BatchNorm set to
zero, so the block passes its input through its shortcut), ‖F(x)‖/‖x‖ per block on 64 images
(``rh.residual_ratios``), and with ``--pairs`` the two cheapest blocks deleted together (exercise
04.6's question: does the pair cost the sum of its single costs?). Appends one record per model,
with its CPU class and date, to ``--out`` and prints a table row.
"""
import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402

import resnet_helpers as rh  # noqa: E402
from claims import cpu_class  # noqa: E402

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("models", nargs="+", help=".keras files or shipped network names")
parser.add_argument("--images", type=int, default=10_000, help="test images per measurement")
parser.add_argument("--pairs", action="store_true", help="also delete the two cheapest blocks together")
parser.add_argument("--out", type=Path,
                    default=Path(__file__).resolve().parent / "results" / "block_lesion.jsonl")
args = parser.parse_args()

_, (x_test, y_test) = rh.load_cifar10()
x, y = x_test[:args.images], y_test[:args.images]


def accuracy(model) -> float:
    return float((model.predict(x, batch_size=500, verbose=0).argmax(-1) == y).mean())


for name in args.models:
    start = time.time()
    model = rh.load_model(name) if name.endswith(".keras") else rh.load_pretrained(name)
    blocks = rh.removable_blocks(model)
    lesion = rh.lesion_study(model, (x, y), blocks)
    costs = {block: lesion["none"] - lesion[block] for block in blocks}
    record = {"model": name, "network": model.name, "images": len(x), "intact": lesion["none"],
              "without_block": {b: lesion[b] for b in blocks},
              "ratios": rh.residual_ratios(model, x[:64])}
    if args.pairs and len(blocks) >= 2:
        pair = sorted(costs, key=costs.get)[:2]
        with rh.restored_weights(model):
            for block in pair:
                rh.delete_block(model, block)
            record["pair"] = {"blocks": pair, "accuracy": accuracy(model),
                              "sum_of_single_costs": costs[pair[0]] + costs[pair[1]]}
    record.update(seconds=round(time.time() - start, 1), cpu_class=cpu_class(),
                  device=rh.course.device_description(), date=time.strftime("%Y-%m-%d %H:%M"))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("a") as f:
        f.write(json.dumps(record) + "\n")
    pair_text = ""
    if "pair" in record:
        together = record["intact"] - record["pair"]["accuracy"]
        pair_text = (f"; the two cheapest together cost {100 * together:.1f} "
                     f"(sum alone {100 * record['pair']['sum_of_single_costs']:.1f})")
    print(f"| {name} ({model.name}) | {len(x):,} | {record['intact']:.1%} | "
          + ", ".join(f"{b} −{100 * c:.1f}" for b, c in costs.items())
          + f" | mean −{100 * np.mean(list(costs.values())):.1f}{pair_text} | "
          + ", ".join(f"{r:.2f}" for r in record["ratios"].values()) + " |")
