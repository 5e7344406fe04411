"""Do the lessons' claims hold on this machine, for several seeds? Runs the lessons themselves.

    python benchmarks/claims.py --lessons 05 06 --seeds 0 1 2 [--data PATH] \
        [--out benchmarks/results/claims.jsonl] [--runs runs/claims]
    ONEDNN_MAX_CPU_ISA=AVX2 python benchmarks/claims.py ...   # the laptop class, emulated
    python benchmarks/claims.py --from-run runs/NAME --seeds 0   # add a finished `make run`
    python benchmarks/claims.py --table                         # the tables for README.md

Every claim a lesson's prose makes unconditionally is guarded by an ``assert`` in the lesson
itself (lesson 05: the deeper plain network trains — well below chance — and ends worse than
the shallower one, the deeper ResNet no worse than the shallower one, plain gradients spread
far more across depth, a deleted block costs the ResNet less; lesson 06: no training blows up,
fine-tuning beats training from scratch clearly and its validation accuracy never ends below
its first epoch). This script executes the lessons with papermill — the same notebooks a learner
runs, with their defaults and only ``SEED`` and ``RUN_DIR`` set — so a failing assert fails the
run here as it would for the learner. For each lesson and seed it appends one record to
``--out``: passed or the error, the claim figures from the lesson's ``metrics.json``, the
minutes, the CPU class (from ``/proc/cpuinfo`` and ``ONEDNN_MAX_CPU_ISA``) and the date.
``benchmarks/README.md`` tables them ("The lessons' claims").
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LESSONS = {"01": "01_residual_block", "02": "02_build_resnet", "03": "03_train_cifar10",
           "04": "04_feature_maps", "05": "05_why_residuals_work", "06": "06_your_own_images"}
#: where each lesson writes its metrics.json, relative to its RUN_DIR (01, 02, 04 write none:
#: their record says whether every assert held)
METRICS = {"01": "no metrics", "02": "no metrics", "03": "metrics.json", "04": "no metrics",
           "05": "05_why_residuals/metrics.json", "06": "06_your_own_images/metrics.json"}
#: the figures each record keeps from a lesson's metrics.json
CLAIM_KEYS = {
    "01": [], "02": [], "04": [],
    "03": ["test_accuracy", "test_accuracy_flip_tta", "train_seconds", "plan", "width", "epochs"],
    "05": ["depths", "final_training_error", "plain_gap", "resnet_gap", "gradient_spread_at_init",
           "lesion_share_lost", "landscape_median_over_centre", "train_minutes"],
    "06": ["test_accuracy", "training_accuracy", "max_val_loss", "fine_tune_val_accuracy",
           "train_minutes"],
}


def cpu_class() -> str:
    """``"AMX"``, ``"AVX-512"`` or ``"AVX2"`` as oneDNN may use it here (``ONEDNN_MAX_CPU_ISA``
    taken into account), with ``" (emulated)"`` when the limit hides a larger class."""
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return "unknown"
    native = "AMX" if "amx_bf16" in flags else "AVX-512" if "avx512f" in flags else \
        "AVX2" if "avx2" in flags else "older"
    limit = os.environ.get("ONEDNN_MAX_CPU_ISA", "").upper()
    if limit.startswith("AVX2") and native != "AVX2":
        return f"AVX2 (emulated on {native})"
    return native


def execute(pm, name: str, run_dir: Path, seed: int) -> str | None:
    """Run one lesson with papermill into ``run_dir``; the error it stopped with, or None."""
    try:
        pm.execute_notebook(ROOT / "notebooks" / f"{name}.ipynb", run_dir / f"{name}.ipynb",
                            parameters={"SEED": seed, "RUN_DIR": str(run_dir), "OVERWRITE": True},
                            cwd=str(ROOT / "notebooks"), progress_bar=False)
    except pm.PapermillExecutionError as err:
        return f"{err.ename}: {err.evalue}"
    return None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lessons", nargs="+", default=["05", "06"], choices=sorted(LESSONS),
                        help="lessons to run, in this order (04 reads 03's run, 05 03's width)")
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--data", default=os.environ.get("CIFAR10_SOURCE"),
                        help="CIFAR-10 source (default: $CIFAR10_SOURCE)")
    parser.add_argument("--out", default=str(ROOT / "benchmarks/results/claims.jsonl"))
    parser.add_argument("--runs", default=str(ROOT / "runs/claims"),
                        help="folder for the executed lessons (one sub-folder per class and seed)")
    parser.add_argument("--from-run", default=None, metavar="RUN_DIR",
                        help="record the lessons of a finished run (make run) instead of running "
                             "them; its seed is the one given with --seeds")
    parser.add_argument("--table", action="store_true", help="print the tables of --out")
    args = parser.parse_args(argv)
    if args.table:
        print(table([json.loads(line) for line in open(args.out, encoding="utf-8")]))
        return 0
    if args.data:
        os.environ["CIFAR10_SOURCE"] = str(Path(args.data).resolve())
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import papermill as pm

    cls = cpu_class()
    tag = cls.split(" ")[0].lower() + ("-emulated" if "emulated" in cls else "")
    for seed in args.seeds:
        run_dir = Path(args.runs).resolve() / f"{tag}-seed{seed}"
        for lesson in args.lessons:
            name = LESSONS[lesson]
            start, error = time.time(), None
            if args.from_run:  # a finished `make run`: read what papermill recorded
                run_dir = Path(args.from_run).resolve()
                executed = json.loads((run_dir / f"{name}.ipynb").read_text(encoding="utf-8"))
                meta = executed["metadata"].get("papermill", {})
                error = "see the executed notebook" if meta.get("exception") else None
                start -= meta.get("duration") or 0
            else:
                run_dir.mkdir(parents=True, exist_ok=True)
                error = execute(pm, name, run_dir, seed)
            metrics_file = run_dir / METRICS[lesson]
            metrics = json.loads(metrics_file.read_text()) if metrics_file.exists() else {}
            record = {"lesson": lesson, "seed": seed, "passed": error is None, "error": error,
                      "minutes": round((time.time() - start) / 60, 2), "cpu_class": cls,
                      "device": metrics.get("device", platform.processor()),
                      "date": time.strftime("%Y-%m-%d %H:%M"),
                      "data": os.environ.get("CIFAR10_SOURCE", "Keras download"),
                      **{k: metrics.get(k) for k in CLAIM_KEYS[lesson]}}
            with open(args.out, "a", encoding="utf-8") as f:
                f.write(json.dumps(record) + "\n")
            print(f"lesson {lesson}, seed {seed}, {cls}: "
                  f"{'passed' if error is None else 'FAILED: ' + error} in {record['minutes']} min",
                  flush=True)
    return 0


def table(records: list[dict]) -> str:
    """Markdown tables of the records: every lesson run (passed or not), then lesson 05's and
    lesson 06's claims, one row per run."""
    def pct(x):
        return "–" if x is None else f"{100 * x:.1f}%"

    runs = {}
    for r in records:
        runs.setdefault((r["cpu_class"], r["seed"]), {})[r["lesson"]] = r
    lines = ["| CPU class | seed | " + " | ".join(f"lesson {n}" for n in sorted(LESSONS)) + " |",
             "|---|---|" + "---|" * len(LESSONS)]
    for (cls, seed), lessons in sorted(runs.items()):
        cells = [("passed" if lessons[n]["passed"] else "FAILED") + f", {lessons[n]['minutes']} min"
                 if n in lessons else "–" for n in sorted(LESSONS)]
        lines.append(f"| {cls} | {seed} | " + " | ".join(cells) + " |")
    lines += ["", "| CPU class | seed | passed | training error: plain shallow / deep, ResNet shallow / deep "
             "| plain gap | ResNet gap | gradient spread at init: plain / ResNet | lesion lost: plain / "
             "ResNet | minutes | date |", "|---|---|---|---|---|---|---|---|---|---|"]
    for r in (r for r in records if r["lesson"] == "05"):
        e, (s, d) = r.get("final_training_error") or {}, r.get("depths") or (0, 0)
        errors = " / ".join(pct(e.get(f"{k}{n}")) for k in ("plain", "resnet") for n in (s, d))
        spread = r.get("gradient_spread_at_init") or {}
        lost = list((r.get("lesion_share_lost") or {}).values())
        lines.append(
            f"| {r['cpu_class']} | {r['seed']} | {'yes' if r['passed'] else 'NO: ' + str(r['error'])} "
            f"| {errors} | {100 * (r.get('plain_gap') or 0):+.1f} | {100 * (r.get('resnet_gap') or 0):+.1f} "
            f"| ×{spread.get('plain', 0):,.0f} / ×{spread.get('resnet', 0):.1f} "
            f"| {' / '.join(f'{100 * v:.0f}%' for v in lost)} | {r['minutes']} | {r['date']} |")
    lines_03 = ["| CPU class | seed | passed | lesson 03 test accuracy | with flip TTA | plan | "
                "predicted min | trained min | lesson min | date |", "|---|---|---|---|---|---|---|---|---|---|"]
    lines += ["", "| CPU class | seed | passed | test accuracy: scratch / stronger augmentation / "
              "fine-tuned | training accuracy: scratch / stronger / fine-tuned | largest val_loss "
              "| fine-tuned validation accuracy: first epoch → last | minutes | date |",
              "|---|---|---|---|---|---|---|---|---|"]
    for r in (r for r in records if r["lesson"] == "03"):
        lines_03.append(f"| {r['cpu_class']} | {r['seed']} | {'yes' if r['passed'] else 'NO'} "
                        f"| {pct(r.get('test_accuracy'))} | {pct(r.get('test_accuracy_flip_tta'))} "
                        f"| w{r.get('width')}, {r.get('epochs')} epochs | "
                        f"{(r.get('plan') or {}).get('predicted_minutes', 0):.1f} | "
                        f"{(r.get('train_seconds') or 0) / 60:.1f} | {r['minutes']} | {r['date']} |")
    for r in (r for r in records if r["lesson"] == "06"):
        test = " / ".join(pct(v) for v in (r.get("test_accuracy") or {}).values())
        train = " / ".join(pct(v) for v in (r.get("training_accuracy") or {}).values())
        losses = " / ".join(f"{v:.2f}" for v in (r.get("max_val_loss") or {}).values())
        curve = r.get("fine_tune_val_accuracy") or [None]
        lines.append(
            f"| {r['cpu_class']} | {r['seed']} | {'yes' if r['passed'] else 'NO: ' + str(r['error'])} "
            f"| {test} | {train} | {losses} | {pct(curve[0])} → {pct(curve[-1])} | {r['minutes']} "
            f"| {r['date']} |")
    if len(lines_03) > 2:
        lines += [""] + lines_03
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
