"""Register the course's Jupyter kernel, "Python (resnet-course)", for this Python.

    python scripts/install_kernel.py [--prefix PREFIX]

The lessons name this kernel in their metadata (`make install` runs this script). Besides
``ipykernel install``, it keeps TensorFlow's C++ start-up lines ("Could not find cuda drivers",
"failed call to cuInit", oneDNN notices: not errors, but alarming in a lesson) out of the
notebooks, without hiding anything:

* ``TF_CPP_MIN_LOG_LEVEL=2`` in the kernel's environment, set before TensorFlow loads, drops
  TensorFlow's C++ INFO and WARNING lines (errors still show);
* ``--IPKernelApp.capture_fd_output=False``: what C++ code writes straight to file descriptor
  2 goes to the terminal that runs JupyterLab (or papermill), not into the notebook. Python's
  own warnings and errors still appear in the cell as usual.

The package itself changes nothing at import: a script that imports ``resnet_helpers`` sees
TensorFlow's messages as TensorFlow prints them.
"""
import argparse
import json
import sys
from pathlib import Path

from ipykernel.kernelspec import install

NAME, DISPLAY_NAME = "resnet-course", "Python (resnet-course)"
ARGUMENT = "--IPKernelApp.capture_fd_output=False"
ENVIRONMENT = {"TF_CPP_MIN_LOG_LEVEL": "2"}


def install_kernel(prefix: str | None = None) -> Path:
    """Install the kernel spec (for the user, or under ``prefix``) and return its folder."""
    folder = Path(install(user=prefix is None, prefix=prefix, kernel_name=NAME,
                          display_name=DISPLAY_NAME))
    spec_file = folder / "kernel.json"
    spec = json.loads(spec_file.read_text())
    if ARGUMENT not in spec["argv"]:
        spec["argv"].append(ARGUMENT)
    spec["env"] = {**spec.get("env", {}), **ENVIRONMENT}
    spec_file.write_text(json.dumps(spec, indent=1) + "\n")
    return folder


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prefix", help="install under this prefix instead of for the user")
    folder = install_kernel(parser.parse_args().prefix)
    print(f"installed the kernel {DISPLAY_NAME!r} for {sys.executable} in {folder}")
