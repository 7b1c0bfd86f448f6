"""Content-Security-Policy helpers: the site's policy read from web/index.html, and the single
file's, which allows its inline scripts by their SHA-256."""

from __future__ import annotations

import base64
import hashlib
import re

from sitebuild.project import WEB, BuildError

CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def csp_meta(policy: str) -> str:
    """The <meta> element that carries a policy."""
    return f'<meta http-equiv="Content-Security-Policy" content="{policy}">'


def read_site_csp() -> str:
    """web/index.html's Content-Security-Policy; the build fails if it is missing or weaker."""
    page = (WEB / "index.html").read_text(encoding="utf-8")
    found = CSP_META.findall(page)
    if len(found) != 1:
        raise BuildError("web/index.html must hold one Content-Security-Policy <meta>")
    directives = parse_csp(found[0])
    if directives.get("script-src") != ["'self'", "'wasm-unsafe-eval'"]:
        raise BuildError("web/index.html's CSP must have script-src 'self' 'wasm-unsafe-eval'")
    return found[0]


def parse_csp(policy: str) -> dict[str, list[str]]:
    """{directive: [sources]} of a policy, in its order."""
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def single_file_csp(site_csp: str, inline_scripts: list[str]) -> str:
    """The site's policy for the single file: its inline scripts allowed by their SHA-256 (and
    nothing else inline), its Python worker made from a blob: URL. A worker made from a blob:
    URL runs under this same policy."""
    directives = parse_csp(site_csp)
    hashes = sorted(
        {
            "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
            for s in inline_scripts
        }
    )
    directives["script-src"] = [*hashes, "'wasm-unsafe-eval'"]
    directives["worker-src"] = ["blob:"]
    directives["connect-src"] = ["'none'"]  # every file is inlined; the fetch shim answers
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())
