"""Compile an exported LaTeX document with a real pdflatex and read the PDF back.

pdflatex, amsmath and xcolor come from Debian's texlive-latex-base and
texlive-latex-recommended, pdftotext from poppler-utils; tests/run.py installs them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

PACKAGES = ["amsmath", "xcolor"]  # all the export may use (README: "amsmath and xcolor only")

# In pdflatex's log: an error ("! Undefined control sequence.", "! LaTeX Error: ...", a
# Unicode character it cannot set), a warning of LaTeX or a package, or a glyph no font has.
# Overfull boxes are not among them: a wide table of gradient paths runs into the margin.
TROUBLE = re.compile(r"^(!.*|.*Warning:.*|Missing character:.*)$", re.MULTILINE)


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} not found: python3 tests/run.py installs it (texlive, poppler-utils)"
    return path


def compile_latex(doc: str, workdir: Path) -> str:
    """The text of the PDF that pdflatex makes of `doc` (pdftotext, minus signs as "-");
    fails on any error or warning in pdflatex's log, or a document that uses other packages."""
    packages = re.findall(r"\\usepackage\{([^}]*)\}", doc)
    assert packages == PACKAGES, f"the document loads {packages}, not just {PACKAGES}"
    (workdir / "export.tex").write_text(doc)
    batch = ["-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape"]
    result = subprocess.run(
        [_tool("pdflatex"), *batch, "export.tex"],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=120,
    )
    log = (workdir / "export.log").read_text(errors="replace")
    trouble = TROUBLE.search(log)
    where = log[trouble.start() : trouble.start() + 600] if trouble else result.stdout[-2000:]
    assert result.returncode == 0 and not trouble, f"pdflatex: {where}"
    pdf = workdir / "export.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-"), "pdflatex wrote no PDF"
    text = subprocess.run(
        [_tool("pdftotext"), "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return text.replace("\u2212", "-")
