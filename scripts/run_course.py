"""Execute every lesson in ``notebooks/`` in order with papermill: the course's main job.

    python scripts/run_course.py [--out runs/NAME] [-p NAME VALUE ...] [--smoke]
    python scripts/run_course.py --resume --out runs/NAME

Each executed notebook lands in the output folder, which is also every lesson's ``RUN_DIR``
(model, metrics.json, history.json, figures/). A parameter given with ``-p`` goes to each
notebook whose ``parameters`` cell declares it. A failing notebook stops the run with
papermill's message naming the notebook and the cell; the summary table is printed either way.

A new run refuses a folder that is not empty. ``--resume`` continues an interrupted or failed
run in its folder, with the parameters it was started with (``run_course.json``): lessons that
finished are kept, the first unfinished one runs again — lesson 03's training continues from its
last finished epoch — and the rest follow.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from resnet_helpers.messages import set_language, tr

ROOT = Path(__file__).resolve().parents[1]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=None,
                        help="output folder (default: runs/<date-time>); must not hold a run yet")
    parser.add_argument("--notebooks", default=str(ROOT / "notebooks"), help="lesson folder")
    parser.add_argument("-p", "--parameter", nargs=2, action="append", default=[],
                        metavar=("NAME", "VALUE"), help="notebook parameter (YAML value)")
    parser.add_argument("--smoke", action="store_true", help="smoke mode (RESNET_SMOKE=1)")
    parser.add_argument("--resume", action="store_true",
                        help="continue the interrupted run in --out (same parameters)")
    return parser.parse_args(argv)


RECORD = "run_course.json"


def finished(executed: Path) -> bool:
    """True when papermill executed this notebook to its end without an error."""
    if not executed.exists():
        return False
    try:
        meta = json.loads(executed.read_text(encoding="utf-8"))["metadata"].get("papermill", {})
    except (ValueError, KeyError):
        return False
    return bool(meta.get("end_time")) and not meta.get("exception")


def resume_settings(out: Path, args) -> tuple[list, bool] | str:
    """The recorded (parameters, smoke) of the run in ``out``, or an error message."""
    record = out / RECORD
    if not record.exists():
        return (f"{out} holds no run started by this script ({RECORD} is missing); "
                "start a new run with another --out (make run RUN=name).")
    saved = json.loads(record.read_text(encoding="utf-8"))
    given = [list(p) for p in args.parameter]
    if given and given != saved["parameters"] or args.smoke and not saved["smoke"]:
        return (f"--resume continues {out} with the parameters it was started with "
                f"({saved['parameters'] or 'none'}{', smoke mode' if saved['smoke'] else ''}); "
                "leave out -p/--smoke, or start a new run with another --out.")
    if saved.get("notebooks") != str(Path(args.notebooks).resolve()):
        return (f"{out} was started from the lessons in {saved.get('notebooks')}, not "
                f"{Path(args.notebooks).resolve()}: resume it with the same edition "
                "(make run RUN=name RESUME=1 with the same EDITION).")
    return saved["parameters"], saved["smoke"]


def main(argv=None) -> int:
    import logging

    import papermill as pm
    import yaml

    # papermill streams each cell's output through logging (log_output=True)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)
    args = parse_args(argv)
    if args.resume and not args.out:
        print("error: --resume needs the run's folder: --out runs/NAME (make run RUN=NAME "
              "RESUME=1).", file=sys.stderr)
        return 2
    out = Path(args.out or ROOT / "runs" / time.strftime("%Y%m%d-%H%M%S")).resolve()
    parameters, smoke = [list(p) for p in args.parameter], args.smoke
    if args.resume:
        saved = resume_settings(out, args)
        if isinstance(saved, str):
            print(f"error: {saved}", file=sys.stderr)
            return 2
        parameters, smoke = saved
    elif out.exists() and any(out.iterdir()):
        print(f"error: {out} is not empty; it may hold an earlier run. Choose another --out "
              "(make run RUN=name), continue an interrupted run with --resume "
              "(make run RUN=name RESUME=1), or remove it.", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    if smoke:
        os.environ["RESNET_SMOKE"] = "1"
    given = {name: yaml.safe_load(value) for name, value in parameters}
    notebooks = sorted(Path(args.notebooks).glob("[0-9][0-9]_*.ipynb"))
    if not notebooks:
        print(f"error: no lessons (NN_name.ipynb) in {args.notebooks}", file=sys.stderr)
        return 2
    declared = {nb: pm.inspect_notebook(str(nb)) for nb in notebooks}
    known = set().union(*declared.values())
    unknown = sorted(set(given) - known)
    if unknown:
        print(f"error: no lesson takes the parameter(s) {unknown}. Lessons take: "
              f"{', '.join(sorted(known))}.", file=sys.stderr)
        return 2
    if not args.resume:
        (out / RECORD).write_text(json.dumps({"parameters": parameters, "smoke": smoke,
                                              "notebooks": str(Path(args.notebooks).resolve())},
                                             indent=1), encoding="utf-8")
    rows, failed, rerunning = [], None, False
    if Path(args.notebooks).resolve().name == "zh":  # the Chinese edition: its summary too
        set_language("zh")
    smoke_note = tr(" (smoke mode)") if os.environ.get("RESNET_SMOKE") == "1" else ""
    print((tr("Resuming {n} lessons into {out}{smoke}", n=len(notebooks), out=out, smoke=smoke_note)
           if args.resume else
           tr("Running {n} lessons into {out}{smoke}", n=len(notebooks), out=out, smoke=smoke_note))
          + "\n", flush=True)
    for nb in notebooks:
        params = {k: v for k, v in given.items() if k in declared[nb]}
        if "RUN_DIR" in declared[nb]:
            params.setdefault("RUN_DIR", str(out))
        if args.resume and not rerunning and finished(out / nb.name):
            print(f"=== {nb.name}: " + tr("finished earlier, kept"), flush=True)
            rows.append((nb.name, tr("finished earlier"), 0.0))
            continue
        rerunning = True
        print(f"=== {nb.name} {params or ''}", flush=True)
        start = time.perf_counter()
        status = tr("ok")
        try:
            pm.execute_notebook(str(nb), str(out / nb.name), parameters=params, cwd=str(nb.parent),
                                log_output=True, progress_bar=False, kernel_name="python3")
        except pm.PapermillExecutionError as err:
            status = tr("FAILED in cell {cell}: {error}", cell=err.exec_count, error=err.ename)
            failed = (nb.name, err)
        rows.append((nb.name, status, time.perf_counter() - start))
        if failed:
            break
    print_summary(rows, out)
    if failed:
        name, err = failed
        print("\n" + tr("{name} failed in cell {cell}: {error}: {value}\nOpen {path} to see the "
                        "cell and its traceback.", name=name, cell=err.exec_count, error=err.ename,
                        value=err.evalue, path=out / name), file=sys.stderr)
        return 1
    return 0


def print_summary(rows, out: Path) -> None:
    metrics_file = out / "metrics.json"
    metrics = json.loads(metrics_file.read_text()) if metrics_file.exists() else {}
    minutes = tr("min")
    print(f"\n{tr('notebook'):<30} {tr('status'):<34} {tr('wall time'):>10}")
    for name, status, seconds in rows:
        print(f"{name:<30} {status:<34} {seconds / 60:>8.1f} {minutes}")
    total = sum(s for *_, s in rows)
    print(f"{tr('total'):<65} {total / 60:>8.1f} {minutes}")
    if metrics:
        print("\n" + tr("Trained {model} ({params:,} parameters) for {epochs} epochs on {device}: "
                        "test accuracy {accuracy:.2%}, {speed:.0f} images/s, training "
                        "{minutes:.1f} min.", model=metrics.get("model_name"),
                        params=metrics.get("param_count", 0), epochs=metrics.get("epochs"),
                        device=metrics.get("device"), accuracy=metrics.get("test_accuracy", 0),
                        speed=metrics.get("images_per_second", 0),
                        minutes=metrics.get("train_seconds", 0) / 60))
    print("\n" + tr("Executed notebooks, model, metrics and figures: {folder}", folder=out))


if __name__ == "__main__":
    sys.exit(main())
