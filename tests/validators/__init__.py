"""Where the tests find the checkers they run on built pages and on the fact schema; what they do without one.

The Nu Html Checker (npm `vnu-jar`, run by the system's Java) and axe-core
(npm `axe-core`, injected into headless Chromium) are installed here by
setup.sh, `npm ci` from package-lock.json, so every machine checks with the
same versions.  Under the tests' folder, node_modules/ stays out of the
project copies the tests build (tests/conftest.py copies no `tests`).
check-jsonschema comes with the development extra; Node.js with npm.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

FOLDER = Path(__file__).resolve().parent
NODE_MODULES = FOLDER / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
NPM_HINT = "bash setup.sh installs it: npm ci in tests/validators"
# Beside the interpreter running the tests, not on PATH: the venv's copy, at constraints.txt's version.
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"


def under_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false")


def require(missing: list[str], hint: str) -> None:
    """Skip, saying why, where a checker is genuinely missing; CI installs them all, so there it fails."""
    if not missing:
        return
    reason = f"missing {', '.join(missing)} ({hint})"
    if under_ci():
        pytest.fail(reason)
    pytest.skip(reason)


def shown(path: Path) -> str:
    project = FOLDER.parent.parent
    return path.relative_to(project).as_posix() if path.is_relative_to(project) else str(path)


def java_or_skip() -> str:
    """The Java that runs vnu.jar."""
    java = shutil.which("java")
    require([] if java else ["java"], "Debian: apt-get install default-jre-headless; setup.sh does this as root")
    require([] if VNU_JAR.is_file() else [shown(VNU_JAR)], NPM_HINT)
    assert java is not None
    return java


def axe_or_skip() -> str:
    """axe-core's script, to inject into a page."""
    require([] if AXE_JS.is_file() else [shown(AXE_JS)], NPM_HINT)
    return AXE_JS.read_text(encoding="utf-8")


def check_jsonschema_or_skip() -> Path:
    """The reference JSON Schema validator (python-jsonschema with ECMAScript regexes), as editors' tools check."""
    require(
        [] if CHECK_JSONSCHEMA.is_file() else [str(CHECK_JSONSCHEMA)],
        "pip install -e '.[dev]' -c constraints.txt; setup.sh does this",
    )
    return CHECK_JSONSCHEMA


def node_or_skip() -> str:
    """Node.js, whose RegExp is the ECMAScript engine the YAML language server runs on."""
    node = shutil.which("node")
    require([] if node else ["node"], "Debian: apt-get install nodejs; setup.sh installs npm, which brings it")
    assert node is not None
    return node
