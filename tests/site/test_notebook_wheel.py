"""The notebook widget's wheel (dist/notebook/) and the site's Python zip: the wheel carries the
whole package with the widget's built files and the pinned extra; the site leaves widget.py out
(Pyodide has no anywidget)."""

from __future__ import annotations

import zipfile

from sitebuild.package import PACKAGE_ZIP, package_files
from sitebuild.project import DIST, PKG


def test_the_wheel_carries_the_package_the_widgets_files_and_the_notebook_extra() -> None:
    (wheel,) = (DIST / "notebook").glob("*.whl")
    assert wheel.name == "backprop_explorer-0.1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        meta = z.read("backprop_explorer-0.1.0.dist-info/METADATA").decode()
        module = z.read("backprop_explorer/static/widget.js").decode()
        css = z.read("backprop_explorer/static/widget.css").decode()
    package = {f"backprop_explorer/{p.relative_to(PKG).as_posix()}" for p in package_files(PKG)}
    assert "backprop_explorer/widget.py" in package
    assert package <= names
    assert "Requires-Dist: numpy==2.0.2\n" in meta
    assert 'Requires-Dist: anywidget==0.11.0; extra == "notebook"\n' in meta
    assert "window.MathJax = " in module
    assert "widget_default as default" in module
    assert css.startswith("@scope (.bpx-widget) {")


def test_the_sites_python_zip_leaves_the_widget_out() -> None:
    with zipfile.ZipFile(DIST / "py" / PACKAGE_ZIP) as z:
        names = set(z.namelist())
    assert "backprop_explorer/bridge.py" in names
    assert "backprop_explorer/widget.py" not in names
