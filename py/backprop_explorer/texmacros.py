"""The colour code of the derivation, as TeX macros (\\inp, \\wt, \\act, \\err).

This module imports nothing, so build.py can load it without numpy to write the MathJax
configuration, and the LaTeX export can emit the same definitions.
"""

__all__ = ["COLORS", "MATHJAX_MACROS", "PAGE_MACROS", "TEX_MACROS", "latex_preamble"]

# Inputs orange, weights blue, activations and sigma' green, error signals red (the seed's code),
# chosen to stay apart under deuteranopia and protanopia and to meet WCAG AA on white. The
# page's CSS (web/style.css --inp, --wt, --act, --err) holds the same light values.
COLORS = {"inp": "#b55a00", "wt": "#0b62b0", "act": "#00796b", "err": "#a00d2a"}


# MathJax form: name -> [replacement, number of arguments]. On the page the colour is a class
# (bpx-inp ...) that the stylesheet colours from the same CSS variables as the diagram, so the
# maths follows dark mode; the LaTeX export uses latex_preamble's fixed colours.
TEX_MACROS = {name: ["{\\class{bpx-" + name + "}{#1}}", 1] for name in COLORS}

# Markup for the page alone, which the LaTeX export takes out again (exports.to_latex), so the
# printed document is the same with or without it:
# \keep{x}     x as one box that a line never breaks inside (a number, a product): MathJax
#              breaks a long display formula only between such boxes, at the relations Python
#              wrote between them. (A brace group is not enough: MathJax 4 breaks inside one
#              when that fits better; \hbox{$...$}, typeset as a unit, it never breaks.)
# \term{n}{x}  x is term n of a sum, the term of gradient path n (derivation "terms"): the page
#              finds it by data-term="n" and lights the path while it is hovered or tapped.
# \onpage{x}   x is shown on the page only (the terms of the sum with numbers, the lines of
#              the check); \inexport{x} is x in the export only (its aligned check).
PAGE_MACROS = {
    "keep": ["\\hbox{$\\displaystyle #1$}", 1],
    "term": ["{\\data{term=#1}{\\hbox{$\\displaystyle #2$}}}", 2],
    "onpage": ["#1", 1],
    "inexport": ["", 1],
}
MATHJAX_MACROS = {**TEX_MACROS, **PAGE_MACROS}  # what the page's MathJax is configured with


def latex_preamble() -> str:
    """The same macros for a standard LaTeX document (xcolor)."""
    lines = []
    for name, hex_ in COLORS.items():
        lines.append(f"\\definecolor{{bpx{name}}}{{HTML}}{{{hex_[1:].upper()}}}")
        lines.append(f"\\newcommand{{\\{name}}}[1]{{{{\\color{{bpx{name}}}{{#1}}}}}}")
    return "\n".join(lines)
