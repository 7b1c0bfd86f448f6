"""Sharing in the built site: permalinks, embeds driven by postMessage from another origin, the
documented snippets, and the SVG/PNG/LaTeX/CSV exports (each file parsed, not just present)."""

from __future__ import annotations

import base64
import csv
import functools
import http.server
import io
import struct
import threading
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pytest
from test_explorer_page import apply_preset, rendered, wait_render

from backprop_explorer import Session, default_state
from backprop_explorer.exports import latex_document
from backprop_explorer.links import open_link
from conftest import BOOT_TIMEOUT_MS, READY, guard_context, wait_ready
from latex_check import compile_latex


def open_page(browser, url: str):
    context = browser.new_context()
    guard = guard_context(context)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(url)
    wait_ready(page)
    return context, guard, page, errors


def close(context, guard, errors) -> None:
    context.close()
    guard.check()
    assert errors == []


def test_a_permalink_restores_the_same_state_in_a_fresh_browser(browser, site_url) -> None:
    ctx, guard, page, errors = open_page(browser, site_url)
    apply_preset(page, "deep")
    page.evaluate("backpropExplorer.setState({notation: 'einstein', bias: true, seed: 99})")
    page.evaluate("backpropExplorer.edit('weights[1][2][0]', '0.123456789')")
    page.evaluate("backpropExplorer.step(3)")
    page.evaluate("backpropExplorer.select({layer: 2, to: 3, from: 1})")
    state = page.evaluate("backpropExplorer.getState()")
    link = page.evaluate("location.href")
    assert "#state=v1." in link
    close(ctx, guard, errors)

    ctx, guard, page, errors = open_page(browser, link)
    assert page.evaluate("backpropExplorer.getState()") == state
    assert (
        page.locator("#diagram [data-role~='selected-weight']").get_attribute("data-weight")
        == "2-3-1"
    )
    assert page.locator("input[name=notation][value=einstein]").is_checked()
    assert page.locator("#status").is_hidden()
    close(ctx, guard, errors)


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(zlib.compress(raw)).decode().rstrip("=")


@pytest.mark.parametrize(
    "link",
    [
        "v1.!!!",
        "garbage",
        "v1." + b64(b'{"layers": [2, 11, 1]}'),
        "v1." + b64(b'{"activations": ["relu", "swish"]}'),
    ],
)
def test_a_broken_permalink_opens_the_default_with_a_notice(browser, site_url, link) -> None:
    ctx, guard, page, errors = open_page(browser, f"{site_url}#state={link}")
    _, notice = open_link(link)
    status = page.locator("#status")
    assert status.is_visible() and status.text_content() == notice
    assert page.evaluate("backpropExplorer.getState()") == default_state()
    assert "#state=v1." in page.evaluate("location.hash")  # now the default's own link
    close(ctx, guard, errors)


def test_a_link_pasted_into_an_open_page_is_followed(explorer) -> None:
    from backprop_explorer.links import encode_state

    state = Session({"layers": [4, 3, 2], "notation": "vector"}).get_state()
    before = rendered(explorer)
    explorer.evaluate("(link) => { location.hash = 'state=' + link; }", encode_state(state))
    wait_render(explorer, before)
    assert explorer.evaluate("backpropExplorer.getState()") == state


def test_copy_link_puts_the_address_on_the_clipboard(browser, site_url) -> None:
    ctx, guard, page, errors = open_page(browser, site_url)
    ctx.grant_permissions(["clipboard-read", "clipboard-write"])
    page.locator("#copy-link").click()
    page.locator("#copy-result", has_text="Link copied.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == page.evaluate("location.href")
    close(ctx, guard, errors)


# -- embeds ---------------------------------------------------------------------------------
HOST = """<!doctype html><html><head><meta charset="utf-8"><title>host</title></head><body>
<iframe id="bpx" style="width:900px;border:0;height:200px" title="embed"
        src="{site}index.html#embed=1&panels=diagram,derivation"></iframe>
<iframe id="other" title="another frame" srcdoc="<p>other</p>"></iframe>
<script>
  window.replies = []; window.heights = [];
  const frame = document.getElementById("bpx");
  window.addEventListener("message", (e) => {{
    if (e.source !== frame.contentWindow) return;
    if (e.data.type === "backprop-explorer:height") {{
      window.heights.push(e.data.height); frame.style.height = e.data.height + "px";
    }}
    if (e.data.type === "backprop-explorer:reply") window.replies.push(e.data);
  }});
  window.send = (id, op, args) => frame.contentWindow.postMessage(
    {{type: "backprop-explorer:call", id, op, args}}, new URL(frame.src).origin);
</script></body></html>"""


@pytest.fixture(scope="module")
def host_url(site_url, tmp_path_factory):
    """A host page served from another loopback port: a different origin from the site."""
    root: Path = tmp_path_factory.mktemp("host")
    (root / "host.html").write_text(HOST.format(site=site_url))
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/host.html"
    server.shutdown()
    server.server_close()


def reply(page, id_: int) -> dict:
    page.wait_for_function(
        f"() => window.replies.some(r => r.id === {id_})", timeout=BOOT_TIMEOUT_MS
    )
    return page.evaluate(f"window.replies.find(r => r.id === {id_})")


def test_an_embed_on_another_origin_is_driven_by_postmessage(browser, host_url, site_url) -> None:
    assert host_url.split("/")[2] != site_url.split("/")[2]
    context = browser.new_context()
    guard = guard_context(context)
    page = context.new_page()
    page.goto(host_url)
    page.evaluate("send(1, 'getState')")
    assert reply(page, 1)["result"]["layers"] == [2, 3, 1]
    frame = page.frame_locator("#bpx")
    assert frame.locator(".page-header").is_hidden()
    # the view switch and Copy link are page chrome; Presentation mode stays (controls=all)
    assert all(b.is_hidden() for b in frame.locator(".views [data-view], #copy-link").all())
    assert frame.locator("#present-button").is_visible()
    assert frame.locator(".numbers-panel").is_hidden()
    assert frame.locator(".diagram-panel").is_visible()

    # It opens with a weight selected: without one the embed is shorter, and it grows again
    # with the derivation of the weight selected next.
    height_js = "document.getElementById('bpx').getBoundingClientRect().height"
    tall = page.evaluate(height_js)
    page.evaluate("send(20, 'setState', {selected: null})")
    assert reply(page, 20)["ok"]
    page.wait_for_function(f"() => {height_js} < {tall}")
    short = page.evaluate(height_js)
    page.evaluate("send(2, 'select', {layer: 1, to: 2, from: 1})")
    got = reply(page, 2)
    assert got["ok"] and got["result"]["pathCount"] == 1
    want = Session({"selected": {"layer": 1, "to": 2, "from": 1}}).select(
        {"layer": 1, "to": 2, "from": 1}
    )
    assert got["result"]["gradient"] == want["gradient"]
    page.wait_for_function(f"() => {height_js} > {short}")
    inner = page.frame_locator("#bpx").locator("html").evaluate("e => e.scrollHeight")
    height = page.evaluate("document.getElementById('bpx').getBoundingClientRect().height")
    assert abs(height - inner) <= 2  # the iframe is as tall as its content

    page.evaluate("send(3, 'setState', {layers: [2, 99, 1]})")
    bad = reply(page, 3)
    assert bad == {
        "type": "backprop-explorer:reply",
        "id": 3,
        "ok": False,
        "error": {
            "field": "layers[1]",
            "message": "Size of layer 1: must be an integer between 1 and 10, got 99",
        },
    }
    page.evaluate("send(4, 'eval', 'alert(1)')")
    assert reply(page, 4)["error"] == {"field": "op", "message": 'op: unknown operation "eval"'}

    # Another window (a sibling frame) posts a call: ignored, no reply, nothing changes.
    page.evaluate(
        """() => document.getElementById('other').contentWindow.eval(
          `parent.frames[0].postMessage({type: 'backprop-explorer:call', id: 99,
             op: 'setState', args: {layers: [3, 3, 3]}}, '*')`)"""
    )
    page.evaluate("send(5, 'getState')")
    assert reply(page, 5)["result"]["layers"] == [2, 3, 1]  # answered after the sibling's message
    assert page.evaluate("window.replies.some(r => r.id === 99)") is False
    context.close()
    guard.check()


def test_two_embeds_on_one_page_are_independent(browser, site_url) -> None:
    context = browser.new_context()
    guard = guard_context(context)
    page = context.new_page()
    page.goto(f"{site_url}embed-example.html")
    page.wait_for_function("() => window.embeds", timeout=BOOT_TIMEOUT_MS)
    page.evaluate("Promise.all([embeds.left.ready, embeds.right.ready])")
    page.locator("#left-select").click()
    page.locator("#left-out", has_text="path").wait_for()
    page.locator("#right-step").click()
    page.locator("#right-out", has_text="loss").wait_for()
    left = page.evaluate("embeds.left.call('getState')")
    right = page.evaluate("embeds.right.call('getState')")
    assert left["layers"] == [3, 2, 1] and left["selected"] == {"layer": 1, "to": 2, "from": 3}
    # the default State's opening selection (state.opening_selection), kept by the steps
    assert right["layers"] == [2, 3, 1] and right["selected"] == {"layer": 1, "to": 2, "from": 1}
    assert right["view"] == "training" and right["weights"] != default_state()["weights"]
    context.close()
    guard.check()


@pytest.mark.parametrize("name", ["html", "myst", "sphinx", "mdbook", "compact", "present"])
def test_each_documented_snippet_works(browser, site_url, name) -> None:
    context = browser.new_context()
    guard = guard_context(context)
    page = context.new_page()
    page.goto(f"{site_url}embed/{name}.html")
    frame = page.frame_locator("iframe")
    frame.locator("body.ready").wait_for(state="attached", timeout=BOOT_TIMEOUT_MS)
    inner = page.frames[1]
    inner.wait_for_function(READY, timeout=BOOT_TIMEOUT_MS)
    panels = inner.evaluate("document.body.dataset.panels")
    src = page.locator("iframe").get_attribute("src")
    assert src.startswith("../index.html#embed=1&panels=")
    assert panels.split() == src.split("panels=")[1].split("&")[0].split(",")
    if name == "compact":  # no controls; the weight and notation the address names
        assert inner.evaluate("backpropExplorer.getState().selected") == {
            "layer": 2,
            "to": 1,
            "from": 3,
        }
        assert inner.evaluate("backpropExplorer.getState().notation") == "vector"
        assert inner.locator("[data-control]:visible").count() == 0
        assert inner.locator("#status").is_hidden()
    if name == "present":
        assert inner.evaluate("document.documentElement.classList.contains('present')")
        assert inner.locator("#settings").is_visible() and inner.locator("#presets").is_hidden()
    if name == "sphinx":
        assert inner.evaluate("backpropExplorer.getState().view") == "training"
    if name == "html":  # the snippet's own script selected a weight through embed.js
        inner.wait_for_function("() => backpropExplorer.getState().selected !== null")
        assert inner.evaluate("backpropExplorer.getState().selected") == {
            "layer": 1,
            "to": 2,
            "from": 1,
        }
    context.close()
    guard.check()


# -- exports --------------------------------------------------------------------------------
def read_png(data: bytes) -> tuple[int, int, set[tuple[int, ...]]]:
    """Width, height and the set of pixel colours of an 8-bit RGB(A) PNG (what canvases write)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        chunk = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0
    bpp = 4 if colour == 6 else 3
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    colours = set()
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pred) & 255
        if y % 7 == 0:
            colours.update(tuple(line[i : i + bpp]) for i in range(0, stride, bpp * 3))
        prev = line
    return width, height, colours


def downloaded(page, selector: str) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.locator(selector).click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def test_diagram_exports_as_svg_and_png(explorer) -> None:
    explorer.evaluate("backpropExplorer.select({layer: 1, to: 2, from: 1})")
    name, data = downloaded(explorer, "#export-svg")
    assert name == "backprop-diagram.svg"
    root = ET.fromstring(data)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg" and float(root.get("width")) > 0
    edges = [g for g in root.iter(f"{ns}g") if g.get("data-weight")]
    assert len(edges) == 9
    selected = next(g for g in edges if g.get("data-role") == "selected-weight")
    line = selected.find(f"{ns}line")
    assert "stroke:rgb(11, 98, 176)" in line.get("style")  # the weights' blue, written inline
    texts = [t for t in root.iter(f"{ns}text") if t.text]
    assert any(t.text == "Input" for t in texts)
    assert all("font-family:" in t.get("style") for t in texts)

    name, data = downloaded(explorer, "#export-png")
    assert name == "backprop-diagram.png"
    width, height, colours = read_png(data)
    box = explorer.evaluate(
        "[...document.querySelector('#diagram').getAttribute('viewBox').split(' ')]"
    )
    assert (width, height) == (round(float(box[2]) * 2), round(float(box[3]) * 2))
    assert len(colours) > 20  # a drawing, not a blank canvas
    assert any(c[:3] == (11, 98, 176) for c in colours)  # the selected weight's blue


def test_derivation_exports_as_latex(explorer, tmp_path) -> None:
    apply_preset(explorer, "special")
    explorer.evaluate("backpropExplorer.select({layer: 1, to: 2, from: 1})")
    explorer.locator("#export-latex").click()
    dialog = explorer.locator("#latex-dialog")
    dialog.wait_for(state="visible")
    text = explorer.locator("#latex-text").input_value()
    state = explorer.evaluate("backpropExplorer.getState()")
    steps = Session(state).derivation()["steps"]
    want = latex_document(state, steps)
    check = "relative error against backprop"
    strip = lambda doc: [ln for ln in doc.splitlines() if check not in ln]  # noqa: E731
    assert strip(text) == strip(want)
    compile_latex(text, tmp_path)
    name, data = downloaded(explorer, "#latex-download")
    assert name == "backprop-w1-2-1.tex" and data.decode() == text
    explorer.locator("#latex-close").click()
    dialog.wait_for(state="hidden")


def test_training_history_exports_as_csv(explorer) -> None:
    explorer.evaluate("backpropExplorer.setState({view: 'training'})")
    explorer.evaluate("backpropExplorer.step(7)")
    name, data = downloaded(explorer, "#export-csv")
    assert name == "training-history.csv"
    rows = list(csv.DictReader(io.StringIO(data.decode())))
    assert [int(r["step"]) for r in rows] == list(range(8))
    history = explorer.locator("#history-table tbody tr")
    newest = history.first.locator("td").first.text_content()
    assert f"{float(rows[-1]['loss']):.4f}" == newest
    assert all(r["target"] == "2.0" for r in rows)


def test_every_url_in_the_site_is_relative() -> None:
    dist = Path(__file__).resolve().parents[2] / "dist"
    import re

    for path in [
        dist / "index.html",
        dist / "embed-example.html",
        *sorted((dist / "js").glob("*.js")),
    ]:
        text = path.read_text()
        for url in re.findall(r"""(?:src|href)=["']([^"']+)["']""", text):
            assert not url.startswith(("/", "http:", "https:")), (path.name, url)
        assert 'fetch("/' not in text and "fetch('/" not in text


def test_bad_postmessage_payloads_are_refused_with_their_message(browser, host_url) -> None:
    context = browser.new_context()
    guard = guard_context(context)
    page = context.new_page()
    page.goto(host_url)
    page.evaluate("send(1, 'getState')")
    state = reply(page, 1)["result"]
    # (op, args) as a host page might send them, and the message of the reply.
    unknown = 'op: unknown operation "{}"'
    bad = [
        ("explode", None, unknown.format("explode")),
        ("__proto__", None, unknown.format("__proto__")),
        ("constructor", None, unknown.format("constructor")),
        ("toString", None, unknown.format("toString")),
        ("export", "latex", unknown.format("export")),
        ("<img src=x onerror=alert(1)>", None, unknown.format("<img src=x onerror=alert(1)>")),
        ("x" * 100, None, unknown.format("x" * 37 + "...")),
        (5, None, "op: unknown operation 5"),
        (None, None, "op: unknown operation null"),
        (["select"], None, "op: unknown operation a list"),
        ("setState", "x", 'state: must be an object of State fields, got "x"'),
        ("setState", [[1, 2]], "state: must be an object of State fields, got a list"),
        (
            "setState",
            {"loss": "<img src=x onerror=alert(1)>"},
            'Loss: must be one of "half_sse", "mse", got "<img src=x onerror=alert(1)>"',
        ),
        (
            "select",
            [{"layer": 9, "to": 1, "from": 1}],
            "Selected weight, its layer l: must be an integer between 1 and 2, got 9",
        ),
        ("step", [0], "Number of steps: must be an integer between 1 and 10000, got 0"),
        (
            "step",
            ["\\href{javascript:alert(1)}{x}"],
            'Number of steps: "\\href{javascript:aler..." is not a number',
        ),
        (
            "edit",
            ["input[0]", "1,5"],
            'Input x₁: "1,5" is not a number: write decimals with a dot: 1.5',
        ),
        (
            "preset",
            ["huge"],
            'Topology preset: must be one of "basic", "classic", "special", "deep", "demo", got "huge"',
        ),
        (
            "restoreSeed",
            None,
            "Seed: there are no weights from before a Reset to restore: reset the weights first",
        ),
    ]
    for i, (op, args, message) in enumerate(bad, start=10):
        page.evaluate("([id, op, args]) => send(id, op, args ?? undefined)", [i, op, args])
        got = reply(page, i)
        assert got["ok"] is False and got["error"]["message"] == message, (op, args)
    # Messages that are not calls get no reply at all; the embed keeps working.
    page.evaluate(
        """() => { const w = document.getElementById('bpx').contentWindow;
             for (const m of ['hello', null, 42, {type: 'other'}, {op: 'setState'}]) w.postMessage(m, '*'); }"""
    )
    page.evaluate("send(99, 'getState')")
    assert reply(page, 99)["result"] == state
    assert page.evaluate("window.replies.length") == len(bad) + 2
    context.close()
    guard.check()


def test_an_embed_shows_what_python_chose_for_its_panels(browser, site_url) -> None:
    """The panels of the training demo bring its view; an unknown name is said, not shown."""
    ctx, guard, page, errors = open_page(browser, site_url + "#embed=1&panels=tables,plot")
    assert page.evaluate("document.body.dataset.panels") == "tables"
    assert page.evaluate("backpropExplorer.getState().view") == "training"
    assert page.locator("#status").text_content() == 'Unknown panels ignored: "plot".'
    assert page.locator("[data-panel='tables']").is_visible()
    assert page.locator("[data-panel='diagram']").is_hidden()
    close(ctx, guard, errors)
