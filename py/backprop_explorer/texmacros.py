"""The colour code of the derivation, as TeX macros (\\inp, \\wt, \\act, \\err).

This module imports nothing, so build.py can load it without numpy to write the MathJax
configuration, and the LaTeX export can emit the same definitions.
"""

__all__ = ["COLORS", "TEX_MACROS", "latex_preamble"]

# Inputs orange, weights blue, activations and sigma' green, error signals red (the seed's code).
COLORS = {"inp": "#b35900", "wt": "#0b62b0", "act": "#1a7f37", "err": "#c62828"}


def _rgb(hex_: str) -> str:
    """ "#b35900" -> "179,89,0" (the RGB model: MathJax and xcolor both know it; a bare # would
    be read as a macro parameter)."""
    return ",".join(str(int(hex_[i : i + 2], 16)) for i in (1, 3, 5))


# MathJax form: name -> [replacement, number of arguments]
TEX_MACROS = {name: ["{\\color[RGB]{" + _rgb(hex_) + "}{#1}}", 1] for name, hex_ in COLORS.items()}


def latex_preamble() -> str:
    """The same macros for a standard LaTeX document (xcolor)."""
    lines = []
    for name, hex_ in COLORS.items():
        lines.append(f"\\definecolor{{bpx{name}}}{{HTML}}{{{hex_[1:].upper()}}}")
        lines.append(f"\\newcommand{{\\{name}}}[1]{{{{\\color{{bpx{name}}}{{#1}}}}}}")
    return "\n".join(lines)
