"""Every published HTML page of the sample is valid HTML, as the Nu Html Checker (vnu) reads it.

vnu runs once over all pages: each start of Java costs seconds.  Only errors
count (`--errors-only`); each is reported as `en/page.html:LINE:COLUMN: message`.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from tests.conftest import Project
from tests.validators import VNU_JAR, java_or_skip

EDITIONS = ("en", "id", "bilingual")


def published_pages(out: Path) -> list[Path]:
    return sorted(page for edition in EDITIONS for page in (out / edition).glob("*.html"))


def finding(message: dict[str, Any], out: Path) -> str:
    url = message.get("url", "")
    path = Path(unquote(urlsplit(url).path)) if url.startswith("file:") else Path(url)
    shown = path.relative_to(out).as_posix() if path.is_relative_to(out) else url
    where = f"{shown}:{message.get('lastLine', '?')}:{message.get('firstColumn', message.get('lastColumn', '?'))}"
    return f"{where}: {message.get('type')}: {message.get('message')}"


def test_every_published_page_is_valid_html(sample_build: Project) -> None:
    java = java_or_skip()
    out = sample_build.out.resolve()
    pages = published_pages(out)
    assert len(pages) == 21, [page.relative_to(out).as_posix() for page in pages]
    command = [java, "-jar", str(VNU_JAR), "--format", "json", "--errors-only", "--stdout", *map(str, pages)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        raise AssertionError(f"vnu printed no report (exit {result.returncode}): {result.stderr[-2000:]}") from None
    # "non-document-error" is vnu failing to read a page: as bad as an error in it.
    findings = [finding(message, out) for message in report["messages"] if message.get("type") != "info"]
    assert findings == [], "\n".join(findings)
