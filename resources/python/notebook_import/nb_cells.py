"""Notebook cells made ready for `ast`: IPython-only lines (`%magic`, `!shell`, `x?`) are
blanked out (line numbers stay), `!pip install` lines give requirement hints, and a cell
that is still not Python is reported instead of parsed. Nothing here runs user code."""
import ast
import re
import shlex

# cell magics whose body is still Python
PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun", "debug"}
PIP_LINE = re.compile(r"^\s*[!%]\s*(?:pip3?|python3?\s+-m\s+pip|conda|mamba)\s+install\b(.*)$")
MAGIC_LINE = re.compile(r"^\s*(%|!)")
ASSIGNED_MAGIC = re.compile(r"^\s*[A-Za-z_][\w, ]*=\s*[%!]")
HELP_LINE = re.compile(r"^\s*\??[\w.\[\]()]+\?\??\s*$")
# pip options that take a value, so the value is not a package
PIP_VALUE_OPTIONS = {"-r", "--requirement", "-c", "--constraint", "-i", "--index-url", "--extra-index-url",
                     "-f", "--find-links", "-t", "--target", "--prefix", "--root", "-e", "--editable", "-c"}


class Cell:
    """One notebook cell: its text, and for code cells the parsed module (or why not)."""

    def __init__(self, index, cell_type, source, metadata):
        self.index = index
        self.type = cell_type
        self.source = source
        self.metadata = metadata or {}
        self.python = source  # code with IPython-only lines blanked
        self.tree = None
        self.syntax_error = None
        self.magics = []  # (line number, text) of lines left out
        self.requirements = []  # packages from !pip install lines
        self.pip_lines = []
        self.cell_magic = None
        self.markdown = markdown_text(source) if cell_type == "markdown" else None

    @property
    def number(self):
        """The cell's number as people count (1-based)."""
        return self.index + 1

    def lines(self):
        return self.python.split("\n")


def pip_packages(args):
    """The package specs of a `pip install …` argument string (options and -r files skipped)."""
    try:
        words = shlex.split(args)
    except ValueError:
        words = args.split()
    out, skip = [], False
    for w in words:
        if skip:
            skip = False
            continue
        if w in PIP_VALUE_OPTIONS:
            skip = True
            continue
        if w.startswith("-") or w.startswith("$") or w.startswith("{"):
            continue
        out.append(w)
    return out


def prepare(index, raw):
    """A Cell from one nbformat cell dict (already checked to have a type and a source)."""
    source = raw["source"] if isinstance(raw["source"], str) else "".join(raw["source"])
    source = source.replace("\r\n", "\n")
    cell = Cell(index, raw["cell_type"], source, raw.get("metadata"))
    if cell.type != "code":
        return cell
    lines = source.split("\n")
    first = lines[0].strip() if lines else ""
    if first.startswith("%%"):
        name = first[2:].split()[0] if first[2:].split() else ""
        cell.cell_magic = name
        cell.magics.append((1, first))
        if name not in PYTHON_CELL_MAGICS:
            cell.python = ""
            return cell
        lines[0] = ""
    for i, line in enumerate(lines):
        pip = PIP_LINE.match(line)
        if pip:
            cell.requirements.extend(pip_packages(pip.group(1)))
            cell.pip_lines.append(line.strip())
            lines[i] = ""
        elif MAGIC_LINE.match(line) or ASSIGNED_MAGIC.match(line) or HELP_LINE.match(line):
            cell.magics.append((i + 1, line.strip()))
            lines[i] = ""
    cell.python = "\n".join(lines)
    try:
        cell.tree = ast.parse(cell.python)
    except SyntaxError as exc:
        cell.syntax_error = (exc.lineno or 1, exc.msg or "invalid syntax")
    return cell


def markdown_text(source):
    """Markdown as a plain description: heading marks dropped, blank runs collapsed."""
    out = []
    for line in source.strip().split("\n"):
        out.append(re.sub(r"^\s{0,3}#{1,6}\s+", "", line).rstrip())
    text = "\n".join(out).strip()
    return re.sub(r"\n{3,}", "\n\n", text)


def title_of(cells):
    """The notebook's title (its first `# heading`) and the rest of that cell, with the cell's index."""
    for cell in cells:
        if cell.type == "code" and cell.source.strip():
            return None
        if cell.type != "markdown":
            continue
        lines = cell.source.strip().split("\n")
        m = re.match(r"^\s{0,3}#\s+(.+?)\s*#*\s*$", lines[0]) if lines else None
        if m:
            return m.group(1).strip(), markdown_text("\n".join(lines[1:])), cell.index
    return None
