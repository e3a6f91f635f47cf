"""Runs a notebook's code cells top to bottom in one namespace, as a Jupyter kernel would,
so tests can compare what a workflow computes with what the notebook itself computes.
IPython-only lines are skipped (`!pip install` never runs), `%%` cells whose body is not
Python are skipped, and matplotlib draws off-screen. The DataFrames named on the command
line are written as Parquet (index dropped) to the output folder, other values to
scalars.json there.

    python run_notebook.py <notebook.ipynb> <out dir> [name ...]   (cwd: the notebook's folder)"""
import json
import os
import sys

os.environ.setdefault("MPLBACKEND", "Agg")
PYTHON_CELL_MAGICS = {"time", "timeit", "capture"}


def code_of(cell):
    source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    stripped = source.lstrip()
    if stripped.startswith("%%"):
        first, _, rest = stripped.partition("\n")
        if first[2:].split()[0] not in PYTHON_CELL_MAGICS:
            return ""
        source = rest
    return "\n".join("" if line.lstrip().startswith(("!", "%")) else line for line in source.split("\n"))


def main():
    notebook, out, names = sys.argv[1], sys.argv[2], sys.argv[3:]
    with open(notebook, encoding="utf-8") as f:
        cells = json.load(f)["cells"]
    namespace = {"__name__": "__main__", "display": lambda *a, **k: None}
    for i, cell in enumerate(cells):
        if cell["cell_type"] == "code":
            exec(compile(code_of(cell), "<cell %d>" % (i + 1), "exec"), namespace)
    os.makedirs(out, exist_ok=True)
    scalars = {}
    for name in names:
        value = namespace[name]
        if hasattr(value, "to_parquet"):
            value.reset_index(drop=True).to_parquet(os.path.join(out, name + ".parquet"), index=False)
        else:
            scalars[name] = value.item() if hasattr(value, "item") else value
    with open(os.path.join(out, "scalars.json"), "w", encoding="utf-8") as f:
        json.dump(scalars, f)


if __name__ == "__main__":
    main()
