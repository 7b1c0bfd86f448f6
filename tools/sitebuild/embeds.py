"""The embed pages: dist/embed/<name>.html, one per snippet of docs/EMBEDDING.md."""

from __future__ import annotations

import re
from pathlib import Path

from sitebuild.project import ROOT, BuildError

EMBEDDING_DOC = ROOT / "docs" / "EMBEDDING.md"
SITE_PLACEHOLDER = "https://YOUR-SITE/backprop-explorer/"
SNIPPET = re.compile(r"<!-- snippet: (\w+) -->\n(`{3,})\w*\n(.*?)\n\2", re.S)
EMBED_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Embed test page: {name} snippet</title>
  <link rel="icon" href="../favicon.svg" type="image/svg+xml">
</head>
<body>
  <h1>The {name} snippet</h1>
  <p>What this snippet produces in a page, from docs/EMBEDDING.md, with the site one folder up.</p>
{html}
</body>
</html>
"""


def embed_snippets() -> dict[str, str]:
    """The HTML each documented snippet puts in a page, by snippet name (docs/EMBEDDING.md)."""
    snippets = {}
    for name, _, body in SNIPPET.findall(EMBEDDING_DOC.read_text()):
        lines = body.splitlines()
        if name == "myst":  # ```{raw} html ... ``` inside the markdown fence
            lines = lines[1:-1]
        elif name == "sphinx":  # .. raw:: html, blank line, then an indented block
            lines = [line[3:] for line in lines[2:]]
        snippets[name] = "\n".join(lines)
    missing = {"html", "myst", "sphinx", "mdbook"} - set(snippets)
    if missing:
        raise BuildError(f"docs/EMBEDDING.md lacks the snippets {sorted(missing)}")
    return snippets


def write_embed_pages(out: Path) -> None:
    """dist/embed/<name>.html: each documented snippet in a page, pointing at this build."""
    out.mkdir()
    for name, snippet in sorted(embed_snippets().items()):
        page = EMBED_PAGE.format(name=name, html=snippet.replace(SITE_PLACEHOLDER, "../"))
        (out / f"{name}.html").write_text(page)
