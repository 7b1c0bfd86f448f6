"""`pip install ".[notebook]"` from the repository, as a user runs it: pyproject's build
backend (tools/sitebuild/backend.py) builds the wheel with the widget's bundled script, pip
installs it with anywidget into a fresh venv, and the widget works there without a browser.
Also: the backend's wheel is the one build.py writes (same sources, same bytes), and its
source distribution holds everything the wheel is built from."""

from __future__ import annotations

import json
import subprocess
import tarfile
import venv
import zipfile
from pathlib import Path

from sitebuild import backend
from sitebuild.mathjax import write_mathjax
from sitebuild.project import ROOT
from sitebuild.widget import WIDGET_DIR, write_widget

# Run in the fresh venv: an Explorer from the installed package, a click's worth of Python.
SCRIPT = """
import json
from pathlib import Path
import backprop_explorer.widget as widget
from backprop_explorer.widget import Explorer

explorer = Explorer(layers=[2, 3, 1], view="training")
selected = explorer.select((2, 1, 2))
before = explorer.state["weights"]
taken = explorer.step(3)["taken"]
script = (widget.ASSETS / "widget.js").read_text(encoding="utf-8")
print(json.dumps({
    "file": widget.__file__,
    "selected": explorer.selected,
    "gradient": selected["gradient"],
    "taken": taken,
    "changed": explorer.state["weights"] != before,
    "panels": 'data-panel=\\\\"training\\\\"' in script or 'data-panel="training"' in script,
    "css": (widget.ASSETS / "widget.css").is_file(),
}))
"""


def test_pip_install_of_the_repository_with_the_notebook_extra_gives_a_working_explorer(
    tmp_path: Path,
) -> None:
    env = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env)
    python = env / "bin" / "python"
    pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, f"{ROOT}[notebook]"], check=True, cwd=tmp_path)

    out = subprocess.run(
        [str(python), "-c", SCRIPT], check=True, cwd=tmp_path, capture_output=True, text=True
    )
    found = json.loads(out.stdout)
    assert Path(found["file"]).is_relative_to(env)  # the installed copy, not py/ of the repo
    assert found["selected"] == {"layer": 2, "to": 1, "from": 2}
    assert isinstance(found["gradient"], float)
    assert found["taken"] == 3
    assert found["changed"] is True
    assert found["panels"] is True  # index.html's training panels are inside the module
    assert found["css"] is True


def test_the_backends_wheel_is_the_one_build_py_writes(tmp_path: Path) -> None:
    name = backend.build_wheel(str(tmp_path / "pip"))
    # build.py's way: the wheel from the MathJax bundle it wrote for the site
    site = tmp_path / "site"
    site.mkdir()
    write_mathjax(site / "mathjax" / "mathjax.js")
    built = write_widget(site)
    assert built.parent.name == WIDGET_DIR
    assert built.name == name
    assert built.read_bytes() == (tmp_path / "pip" / name).read_bytes()
    with zipfile.ZipFile(built) as wheel:
        assert "backprop_explorer/static/widget.js" in wheel.namelist()


def test_the_source_distribution_holds_what_the_wheel_is_built_from(tmp_path: Path) -> None:
    first, again = tmp_path / "first", tmp_path / "again"
    first.mkdir()
    again.mkdir()
    name = backend.build_sdist(str(first))
    assert name == "backprop_explorer-0.1.0.tar.gz"
    assert backend.build_sdist(str(again)) == name
    assert (first / name).read_bytes() == (again / name).read_bytes()
    with tarfile.open(first / name) as tar:
        names = set(tar.getnames())
    top = "backprop_explorer-0.1.0/"
    for needed in (
        "PKG-INFO",
        "pyproject.toml",
        "package-lock.json",
        "web/index.html",
        "web/js/widget.js",
        "web/widget.css",
        "tools/sitebuild/backend.py",
        "py/backprop_explorer/widget.py",
    ):
        assert top + needed in names
