"""The colour code of the derivation, as TeX macros (\\inp, \\wt, \\act, \\err).

This module imports nothing, so build.py can load it without numpy to write the MathJax
configuration, and the LaTeX export can emit the same definitions.
"""

__all__ = ["COLORS", "TEX_MACROS", "latex_preamble"]

# Inputs orange, weights blue, activations and sigma' green, error signals red (the seed's code),
# chosen to stay apart under deuteranopia and protanopia and to meet WCAG AA on white. The
# page's CSS (web/style.css --inp, --wt, --act, --err) holds the same light values.
COLORS = {"inp": "#b55a00", "wt": "#0b62b0", "act": "#00796b", "err": "#a00d2a"}


# MathJax form: name -> [replacement, number of arguments]. On the page the colour is a class
# (bpx-inp ...) that the stylesheet colours from the same CSS variables as the diagram, so the
# maths follows dark mode; the LaTeX export uses latex_preamble's fixed colours.
TEX_MACROS = {name: ["{\\class{bpx-" + name + "}{#1}}", 1] for name in COLORS}


def latex_preamble() -> str:
    """The same macros for a standard LaTeX document (xcolor)."""
    lines = []
    for name, hex_ in COLORS.items():
        lines.append(f"\\definecolor{{bpx{name}}}{{HTML}}{{{hex_[1:].upper()}}}")
        lines.append(f"\\newcommand{{\\{name}}}[1]{{{{\\color{{bpx{name}}}{{#1}}}}}}")
    return "\n".join(lines)
