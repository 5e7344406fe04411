"""Table 6 and Fig. 6 of He et al. (2015) from ``paper_table6.py``'s records, side by side with
the paper: a markdown table (printed, optionally written into ``benchmarks/README.md`` between
its ``table6`` markers) and the training-curve figure.

Usage::

    python benchmarks/table6_report.py                              # benchmarks/results/table6
    python benchmarks/table6_report.py --results DIR --figure DIR/fig6.png --update-readme
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BEGIN, END = "<!-- table6:begin -->", "<!-- table6:end -->"
#: Table 6 of He et al. (2015): CIFAR-10 test error (%) on the official images; 110: best of 5.
PAPER_TEST_ERROR = {20: 8.75, 32: 7.51, 44: 7.17, 56: 6.97, 110: 6.43}


def read_records(folder: Path) -> dict[str, dict]:
    """``{network: record}`` for every ``*.json`` that ``paper_table6.py`` wrote in ``folder``."""
    records = {}
    for path in sorted(Path(folder).glob("*.json")):
        record = json.loads(path.read_text())
        if isinstance(record, dict) and "network" in record and "history" in record:
            records[record["network"]] = record
    return records


def _ours(record: dict | None) -> str:
    if record is None:
        return "not run"
    done, planned = len(record["history"]), record["recipe"]["epochs"]
    if not record.get("finished"):
        last = record["history"][-1]["test_error"] if record["history"] else None
        return f"running: {done}/{planned} epochs" + (f" ({100 * last:.2f}% so far)" if last
                                                       is not None else "")
    final = record["final"]["float32"]
    return (f"**{100 * (1 - final['test_accuracy']):.2f}%** "
            f"({100 * (1 - final['test_accuracy_flip_tta']):.2f}% with flip)")


def markdown_table(records: dict[str, dict]) -> str:
    """Depth by depth: parameters, the paper's ResNet error, our ResNet and plain errors."""
    depths = sorted({r["depth"] for r in records.values()} | set(PAPER_TEST_ERROR))
    lines = ["| depth | trainable parameters | paper: ResNet test error | ours: ResNet test error "
             "| ours: plain test error | ours: final training error ResNet / plain |",
             "|---|---|---|---|---|---|"]
    for depth in depths:
        res, plain = records.get(f"resnet{depth}"), records.get(f"plain{depth}")
        params = next((f"{r['trainable_params']:,}" for r in (res, plain) if r), "–")
        paper = f"{PAPER_TEST_ERROR[depth]:.2f}%" if depth in PAPER_TEST_ERROR else "–"
        train = " / ".join(f"{100 * r['history'][-1]['train_error']:.2f}%"
                           if r and r.get("finished") else "–" for r in (res, plain))
        plain_cell = _ours(plain) if (plain or depth <= 56) else "–"
        lines.append(f"| {depth} | {params} | {paper} | {_ours(res)} | {plain_cell} | {train} |")
    return "\n".join(lines) + "\n"


def plot_curves(records: dict[str, dict]):
    """Fig. 6's layout: plain networks left, ResNets right; dashed training error, solid test
    error, one colour per depth; x in epochs. Returns the figure."""
    import matplotlib  # here, not at the top: paper_table6.py imports this module on the GPU

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=True)
    depths = sorted({r["depth"] for r in records.values()})
    colours = dict(zip(depths, plt.cm.viridis([i / max(1, len(depths) - 1) * 0.9
                                               for i in range(len(depths))])))
    top = 0.0
    for ax, kind, title in ((axes[0], "plain", "plain networks"), (axes[1], "resnet", "ResNets")):
        for depth in depths:
            record = records.get(f"{kind}{depth}")
            if not record or not record["history"]:
                continue
            epochs = [h["epoch"] for h in record["history"]]
            train = [100 * h["train_error"] for h in record["history"]]
            test = [100 * h["test_error"] for h in record["history"]]
            ax.plot(epochs, train, "--", color=colours[depth], lw=1)
            ax.plot(epochs, test, "-", color=colours[depth], lw=1.8,
                    label=f"{kind}-{depth}")
            top = max(top, max(test[len(test) // 4:]), max(train[len(train) // 4:]))
        ax.set(title=title, xlabel="epoch")
        ax.grid(alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(title="solid: test, dashed: training", fontsize=8)
    axes[0].set_ylabel("error (%)")
    axes[0].set_ylim(0, min(100, max(20.0, 1.1 * top)))
    fig.suptitle("CIFAR-10, the paper's recipe (He et al. 2015, Fig. 6 layout)")
    fig.tight_layout()
    return fig


def update_readme(readme: Path, block: str) -> None:
    """Replace the text between the ``table6`` markers of ``readme`` with ``block``."""
    text = readme.read_text()
    if BEGIN not in text or END not in text:
        raise SystemExit(f"{readme} has no {BEGIN} … {END} markers; add them where the table "
                         "goes.")
    head, rest = text.split(BEGIN, 1)
    tmp = readme.with_name(f".{readme.name}.tmp{os.getpid()}")
    tmp.write_text(f"{head}{BEGIN}\n{block}{END}{rest.split(END, 1)[1]}")
    os.replace(tmp, readme)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--results", type=Path, default=ROOT / "benchmarks" / "results" / "table6")
    ap.add_argument("--figure", type=Path, help="PNG to write; default RESULTS/fig6_curves.png")
    ap.add_argument("--update-readme", nargs="?", const=ROOT / "benchmarks" / "README.md",
                    type=Path, help="write the table into this README's table6 block")
    args = ap.parse_args(argv)
    records = read_records(args.results)
    if not records:
        raise SystemExit(f"No paper_table6.py records in {args.results}.")
    table = markdown_table(records)
    figure = args.figure or args.results / "fig6_curves.png"
    figure.parent.mkdir(parents=True, exist_ok=True)
    plot_curves(records).savefig(figure, dpi=130, bbox_inches="tight")
    print(table)
    print(f"figure: {figure}")
    if args.update_readme:
        rel = os.path.relpath(figure.resolve(), args.update_readme.resolve().parent)
        update_readme(args.update_readme,
                      f"{table}\n![training and test error per epoch (Fig. 6 layout)]({rel})\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
