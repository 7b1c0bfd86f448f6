"""A fresh virtual environment with the built wheel and its `notebook` extra, and a JupyterLab
running in it on 127.0.0.1 (no token, nothing fetched from outside), for test_notebook_widget.

The environment is made anew for each test session: the wheel is installed as a user would
(`pip install "<wheel>[notebook]"`), with the pinned JupyterLab of pyproject.toml's
[tool.backprop-explorer] notebook-test.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import time
import tomllib
import urllib.request
import venv
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 120


def lab_pins() -> list[str]:
    """The pinned JupyterLab (and whatever else the test environment needs)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return project["tool"]["backprop-explorer"]["notebook-test"]


def make_env(where: Path, wheel: Path) -> Path:
    """A new venv at `where` with `wheel[notebook]` and the pinned JupyterLab; its python."""
    venv.EnvBuilder(with_pip=True, clear=True).create(where)
    python = where / "bin" / "python"
    cmd = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*cmd, f"{wheel}[notebook]", *lab_pins()], check=True)
    return python


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# JupyterLab's own reasons to go online, all off: the news feed, the update check and the
# extension manager's PyPI search (all asked by the server); the app exposed as
# window.jupyterapp for the test to run cells; root allowed (CI's containers run as root).
LAB_CONFIG = {
    "LabApp": {
        "news_url": None,
        "check_for_updates_class": "jupyterlab.NeverCheckForUpdate",
        "expose_app_in_browser": True,
        "extension_manager": "readonly",
    },
    "ServerApp": {"ip": "127.0.0.1", "open_browser": False, "password": "", "allow_root": True},
    "IdentityProvider": {"token": ""},
}


@contextlib.contextmanager
def jupyter_lab(python: Path, notebooks: Path, home: Path) -> Iterator[str]:
    """JupyterLab serving `notebooks`, its settings and runtime files under `home`; its URL."""
    config = home / "config"
    config.mkdir(parents=True)
    (config / "jupyter_server_config.json").write_text(json.dumps(LAB_CONFIG))
    env = {
        **os.environ,
        "HOME": str(home),
        "JUPYTER_CONFIG_DIR": str(config),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "IPYTHONDIR": str(home / "ipython"),
    }
    port = free_port()
    log = (home / "lab.log").open("w")
    server = subprocess.Popen(
        [
            str(python),
            "-m",
            "jupyter",
            "lab",
            f"--port={port}",
            f"--ServerApp.root_dir={notebooks}",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"JupyterLab quit: {(home / 'lab.log').read_text()}")
            try:
                with urllib.request.urlopen(url + "api/status", timeout=5) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise
            time.sleep(0.25)  # polling the server's own status endpoint until it answers
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
