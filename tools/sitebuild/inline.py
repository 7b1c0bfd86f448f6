"""Pages made self-contained: stylesheets, icons and images inlined as <style> and data: URLs,
and a check that nothing else names another file."""

from __future__ import annotations

import base64
import re
from pathlib import Path

from sitebuild.licences import LICENCES_ID
from sitebuild.project import SINGLE_FILE_SRC, BuildError

# <script src> of index.html that the single file replaces by its own boot script (main.js).
SINGLE_FILE_DROPS = ("mathjax/mathjax.js", "js/app.js")
REFERENCE_ATTRIBUTE = r"""\s(?:src|href|srcset|poster|data)\s*=\s*["']([^"']*)["']"""
DATA_TYPES = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".webp": "image/webp",
    ".woff2": "font/woff2",
}


def attribute(tag: str, name: str) -> str | None:
    """The value of attribute `name` in an HTML start tag, or None."""
    match = re.search(rf'\s{name}="([^"]*)"', tag)
    return match.group(1) if match else None


def data_url(path: Path) -> str:
    """The file as a base64 data: URL of its MIME type (DATA_TYPES)."""
    mime = DATA_TYPES.get(path.suffix)
    if mime is None:
        raise BuildError(f"no MIME type for {path.name}: add it to sitebuild/inline.py DATA_TYPES")
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode()


def inline_css(css: str, folder: Path) -> str:
    """CSS with each url(relative file) turned into a data: URL."""

    def url(match: re.Match) -> str:
        ref = match.group(2)
        if ref.startswith(("data:", "#")):
            return match.group(0)
        return f'url("{data_url(folder / ref)}")'

    return re.sub(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""", url, css)


def inline_index_html(site: Path) -> str:
    """index.html with its stylesheets inlined, its icon and images as data: URLs, its scripts
    removed (the boot script loads MathJax and the app) and the licence link pointing into the
    page."""
    html = (site / "index.html").read_text(encoding="utf-8")

    def link(match: re.Match) -> str:
        tag = match.group(0)
        rel, href = attribute(tag, "rel"), attribute(tag, "href")
        if href is None or href.startswith(("data:", "#")):
            return tag
        if rel == "stylesheet":
            css = inline_css((site / href).read_text(encoding="utf-8"), (site / href).parent)
            return f"<style>\n{css.rstrip()}\n</style>"
        if rel == "icon":
            return tag.replace(f'href="{href}"', f'href="{data_url(site / href)}"')
        return tag

    def script(match: re.Match) -> str:
        src = attribute(match.group(0), "src")
        if src not in SINGLE_FILE_DROPS:
            raise BuildError(f"index.html loads {src}: teach write_single_file about it")
        return ""

    def image(match: re.Match) -> str:
        tag, src = match.group(0), attribute(match.group(0), "src")
        if src is None or src.startswith(("data:", "blob:")):
            return tag
        return tag.replace(f'src="{src}"', f'src="{data_url(site / src)}"')

    html = re.sub(r"<link\b[^>]*>", link, html)
    html = re.sub(r"<img\b[^>]*>", image, html)
    html = re.sub(r"[ \t]*<script\b[^>]*\ssrc=\"[^\"]*\"[^>]*>\s*</script>[ \t]*\n?", script, html)
    html = re.sub(r'href="LICENSES/[^"]*"', f'href="#{LICENCES_ID}"', html)
    own_css = (SINGLE_FILE_SRC / "single-file.css").read_text(encoding="utf-8")
    if "</head>" not in html:
        raise BuildError("index.html has no </head>")
    return html.replace("</head>", f"<style>\n{own_css.rstrip()}\n</style>\n</head>", 1)


def inline_icon(index: Path) -> None:
    """Make the page's icon a data: URL. The page's address changes with every render (its
    hash carries the State) and Chromium fetches the icon again after each change: during
    Play that is a request and a resource-timing entry per training step (bench/soak.py)."""
    html = index.read_text(encoding="utf-8")

    def link(match: re.Match) -> str:
        tag = match.group(0)
        href = attribute(tag, "href")
        if attribute(tag, "rel") != "icon" or href is None or href.startswith("data:"):
            return tag
        return tag.replace(f'href="{href}"', f'href="{data_url(index.parent / href)}"')

    index.write_text(re.sub(r"<link\b[^>]*>", link, html), encoding="utf-8")


def outside_references(page: str) -> list[str]:
    """The src, href and url() values of page (markup and CSS, no scripts) that name another
    file. Allowed: data:, blob:, #fragments, and web links (http, https, mailto) of <a>."""
    page = re.sub(r"(<script\b[^>]*>).*?(</script>)", r"\1\2", page, flags=re.DOTALL)
    bad = []
    for tag, attrs in re.findall(r"<([a-zA-Z][\w-]*)(\s[^>]*)?>", page):
        for ref in re.findall(REFERENCE_ATTRIBUTE, attrs):
            web_link = tag.lower() == "a" and ref.startswith(("http:", "https:", "mailto:"))
            if not (ref.startswith(("data:", "blob:", "#")) or web_link):
                bad.append(ref)
    for ref in re.findall(r"""url\(\s*['"]?([^'")]+)""", page):
        if not ref.startswith(("data:", "blob:", "#")):
            bad.append(ref)
    bad += re.findall(r"""@import\s+['"]([^'"]+)""", page)
    return bad
