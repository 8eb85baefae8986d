"""`pipeline serve`: the live preview, over real HTTP on 127.0.0.1 and in a real headless Chromium.

The HTTP tests talk to a server started in a thread on a free port; the
browser test drives Debian's chromium through chromedriver (selenium), edits
a fact on disk and waits, bounded, for both columns to show the new figure.
Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from html import escape
from pathlib import Path
from typing import Any

import pytest
from watchfiles import Change

from pipeline.errors import UserError
from pipeline.serve.preview import Preview, Snapshot, error_page
from pipeline.serve.server import InputFilter, Running, is_loopback_name, loopback_address
from tests.conftest import PO, ROOT, Project, copy_project, run_cli

FACTS = "facts/story.yaml"
BROKEN_LINE = (
    "facts/story.yaml:8: error: facts.deaths.value: Input should be a valid integer, not 'many' [facts.invalid]"
)
HOST_REFUSED = (
    "error: refusing to serve on '{}': the preview listens on the loopback interface only "
    "(127.0.0.1, ::1 or localhost) [serve.host]"
)
NO_PDF = "The preview renders no PDF (too slow to redo on every change); run pipeline build for the PDF editions."


def request(
    running: Running, path: str, method: str = "GET", host: str | None = None
) -> tuple[int, dict[str, str], str]:
    """One request, the path sent exactly as given (no client-side `..` clean-up)."""
    connection = http.client.HTTPConnection("127.0.0.1", running.server.server_port, timeout=15)
    try:
        connection.request(method, path, headers={"Host": host} if host else {})
        response = connection.getresponse()
        return response.status, dict(response.headers), response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def wait_for(condition: Callable[[], Any], what: str, timeout: float = 20) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.05)
    pytest.fail(f"waited {timeout:g} s for {what}")


# Pages and status codes ---------------------------------------------------


def test_pages(server: Running) -> None:
    status, headers, body = request(server, "/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert '<a href="/story">A short story</a>' in body
    assert headers["Cache-Control"] == "no-store"

    status, _, body = request(server, "/story")
    assert status == 200
    assert '<iframe src="/en/story.html" title="English (en)" name="en">' in body
    assert '<iframe src="/id/story.html" title="Indonesia (id)" name="id">' in body
    assert '<a href="/bilingual/story.html">bilingual edition</a>' in body

    for path, figure in (("/en/story.html", "at least 3,250"), ("/id/story.html", "setidaknya 3.250")):
        status, _, body = request(server, path)
        assert status == 200 and figure in body, path
    status, _, bilingual = request(server, "/bilingual/story.html")
    assert status == 200 and "at least 3,250" in bilingual and "setidaknya 3.250" in bilingual


def test_every_page_polls_the_current_version(server: Running) -> None:
    status, headers, version = request(server, "/__version")
    assert status == 200 and headers["Content-Type"] == "text/plain; charset=utf-8"
    assert re.fullmatch(r"[0-9a-f]{8}-0", version)
    for path in ("/", "/story", "/en/story.html", "/id/story.html", "/nothing/here"):
        assert f'var shown = "{version}";' in request(server, path)[2], path
    server.server.preview.changed()
    assert request(server, "/__version")[2] == version.replace("-0", "-1")


def test_status_codes(server: Running) -> None:
    status, _, body = request(server, "/no-such-article")
    assert status == 404 and "<p>No article &#x27;no-such-article&#x27; in this project.</p>" in body
    assert request(server, "/a/b/c")[0] == 404 and "<p>Nothing at /a/b/c.</p>" in request(server, "/a/b/c")[2]
    status, _, body = request(server, "/en/story.pdf")
    assert status == 404 and NO_PDF in body
    assert request(server, "/xx/story.html")[0] == 404
    status, headers, body = request(server, "/", method="HEAD")
    assert status == 200 and body == "" and int(headers["Content-Length"]) > 0
    assert request(server, "/", method="POST")[0] == 501


def test_assets_are_served_and_never_escape(server: Running, minimal: Project, tmp_path: Path) -> None:
    status, headers, body = request(server, "/assets/style.css")
    assert (status, headers["Content-Type"]) == (200, "text/css; charset=utf-8")
    assert body == minimal.read("assets/style.css")
    assert request(server, "/assets/missing.css")[0] == 404

    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    (minimal.path("assets") / "leak.txt").symlink_to(secret)
    for path in (
        "/assets/../facts/story.yaml",
        "/assets/%2e%2e/facts/story.yaml",
        "/assets/fonts/..%2f..%2ffacts/story.yaml",
        "/assets/%2Fetc%2Fpasswd",
        "/assets/leak.txt",
    ):
        status, _, body = request(server, path)
        assert status == 403, path
        assert "TOP SECRET" not in body and "deaths" not in body
    assert request(server, "/assets/leak.txt")[2] == "refused asset path 'leak.txt': it leads outside assets/\n"


def test_requests_to_other_host_names_are_refused(server: Running) -> None:
    # A page elsewhere could point its own DNS name at 127.0.0.1 (DNS rebinding).
    port = server.server.server_port
    assert request(server, "/", host=f"evil.example:{port}")[:3:2] == (
        403,
        "this preview answers only requests to localhost\n",
    )
    assert request(server, "/", host=f"localhost:{port}")[0] == 200
    assert request(server, "/", host=f"127.0.0.1:{port}")[0] == 200


# Loopback only ------------------------------------------------------------


def test_binds_loopback_only(server: Running) -> None:
    assert server.server.server_address[0] == "127.0.0.1"
    assert server.url == f"http://127.0.0.1:{server.server.server_port}/"
    assert loopback_address("localhost") == "127.0.0.1"
    assert loopback_address("::1") == "::1"
    for host in ("0.0.0.0", "::", "192.168.1.10", "example.com", ""):
        with pytest.raises(UserError) as refused:
            loopback_address(host)
        assert [str(diagnostic) for diagnostic in refused.value.diagnostics] == [HOST_REFUSED.format(host)]


def test_cli_refuses_a_public_host(minimal: Project) -> None:
    result = minimal.run("serve", "--host", "0.0.0.0")
    assert (result.code, result.out, result.err) == (2, "", HOST_REFUSED.format("0.0.0.0") + "\n")


def test_port_in_use(minimal: Project) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = minimal.run("serve", "--port", str(port))
    assert (result.code, result.err) == (
        2,
        f"error: port {port} is in use: choose another with --port, or --port 0 for a free one [serve.port]\n",
    )


def test_missing_project_is_an_error_at_start(tmp_path: Path) -> None:
    result = run_cli("--project", tmp_path / "nowhere", "serve", "--port", "0")
    message = f"error: project folder {tmp_path / 'nowhere'} does not exist [config.project]\n"
    assert (result.code, result.err) == (2, message)


# Errors in the page, and back ----------------------------------------------


def test_a_broken_fact_shows_file_and_line_then_the_article_again(server: Running, minimal: Project) -> None:
    minimal.replace(FACTS, "value: 3250", "value: many")
    server.server.preview.changed()
    for path in ("/", "/story", "/id/story.html"):
        status, _, body = request(server, path)
        assert status == 500, path
        assert f'<ul class="errors"><li>{escape(BROKEN_LINE)}</li></ul>' in body
        assert "The input has 1 error; fix and save to see the article again" in body

    minimal.replace(FACTS, "value: many", "value: 3500")
    server.server.preview.changed()
    status, _, body = request(server, "/id/story.html")
    assert status == 200 and "setidaknya 3.500" in body


def test_error_page_escapes_what_it_shows() -> None:
    line = "facts/x.yaml:3: error: unknown key '<script>alert(1)</script>' [facts.invalid]"
    page = error_page(Snapshot("v", None, (line,)))
    assert page.status == 500
    assert "<script>alert(1)" not in page.html
    escaped = "facts/x.yaml:3: error: unknown key &#x27;&lt;script&gt;alert(1)&lt;/script&gt;&#x27; [facts.invalid]"
    assert f"<li>{escaped}</li>" in page.html


def test_a_yaml_error_shows_the_excerpt_the_cli_prints_escaped(server: Running, minimal: Project) -> None:
    # A hostile line: markup, and a bidi override that would reorder what follows it.
    minimal.replace(FACTS, "qualifier: at_least\n", 'qualifier: at_least: "<script>alert(1)</script>\u202e"\n')
    server.server.preview.changed()
    finding = (
        'facts/story.yaml:9:24: error: a value cannot contain ": " unless it is in quotes; '
        "quote the value, or put the key on a line of its own [facts.yaml]"
    )
    excerpt = [
        '    9 |     qualifier: at_least: "<script>alert(1)</script>\\u202e"',
        "      |                        ^",
    ]
    for path in ("/", "/story", "/id/story.html"):
        status, _, body = request(server, path)
        assert status == 500, path
        assert f'<ul class="errors"><li>{escape(finding)}<pre>{escape(chr(10).join(excerpt))}</pre></li></ul>' in body
        assert "<script>alert(1)" not in body and "\u202e" not in body
    # The one source of truth: the page shows what the command line prints.
    assert run_cli("--project", minimal.root, "check").err.splitlines() == [finding, *excerpt]


def test_a_pipeline_bug_shows_in_the_page_and_the_server_goes_on(
    server: Running, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(project: Path, draft: bool = False) -> None:
        raise RuntimeError("renderer exploded")

    monkeypatch.setattr("pipeline.serve.preview.render_project", broken)
    server.server.preview.changed()
    status, _, body = request(server, "/story")
    assert status == 500
    assert "The preview failed: a bug in the pipeline, not in your files" in body
    assert "RuntimeError: renderer exploded" in body and "RuntimeError: renderer exploded" in capsys.readouterr().err
    monkeypatch.undo()
    server.server.preview.changed()
    assert request(server, "/story")[0] == 200


def test_untranslated_and_fuzzy_sentences_are_highlighted(server: Running, minimal: Project) -> None:
    minimal.replace(PO, 'msgstr "Lembaga pemantau itu mencatat %(deaths)s kematian."', 'msgstr ""')
    minimal.replace(PO, "#: templates/articles/story.html:2\n", "#: templates/articles/story.html:2\n#, fuzzy\n")
    server.server.preview.changed()
    status, _, indonesian = request(server, "/id/story.html")
    assert status == 200
    assert '<span class="untranslated" lang="en">The observatory counted' in indonesian
    assert '<span class="untranslated" lang="en">A short story</span>' in indonesian
    assert ".untranslated { background: #fff1b8 !important;" in indonesian
    side_by_side = request(server, "/story")[2]
    assert '<h2>Indonesia (id)<span class="pending">2 untranslated or fuzzy, highlighted</span></h2>' in side_by_side
    assert "<h2>English (en)</h2>" in side_by_side


DRAFT_BANNER = '<p class="draft-banner" role="status">Draft: translation incomplete</p>'


def test_the_draft_banner_shows_only_on_a_page_with_an_untranslated_sentence(server: Running, minimal: Project) -> None:
    # The banner as the sample's templates write it (not translated: the fixture's catalog lacks it).
    minimal.replace("templates/base.html", "<body>\n", f"<body>\n{{% if draft %}}\n{DRAFT_BANNER}\n{{% endif %}}\n")
    server.server.preview.changed()
    for path in ("/id/story.html", "/en/story.html", "/bilingual/story.html"):
        status, _, body = request(server, path)
        assert status == 200 and "draft-banner" not in body, path

    minimal.replace(PO, "#: templates/articles/story.html:2\n", "#: templates/articles/story.html:2\n#, fuzzy\n")
    server.server.preview.changed()
    indonesian = request(server, "/id/story.html")[2]
    assert DRAFT_BANNER in indonesian
    assert '<span class="untranslated" lang="en">A short story</span>' in indonesian
    assert "draft-banner" not in request(server, "/en/story.html")[2]


def test_a_clean_checkout_previews_every_edition_without_the_draft_banner(tmp_path: Path) -> None:
    # The sample's catalog translates every sentence: no page may say the translation is incomplete.
    preview = Preview(copy_project(ROOT, tmp_path / "sample").root)
    rendered = preview.snapshot().rendered
    assert rendered is not None, preview.snapshot().errors
    pages = {(edition.folder, edition.slug) for edition in rendered.editions}
    assert ("id", "iraq-syria-crisis") in pages and ("id", "index") in pages
    for folder, slug in sorted(pages):
        page = preview.edition(folder, slug)
        assert page.status == 200
        assert "draft-banner" not in page.html and 'class="untranslated"' not in page.html, f"{folder}/{slug}"


# Watching the input ----------------------------------------------------------


def test_saved_inputs_bump_the_version_but_compiled_catalogs_do_not(server: Running, minimal: Project) -> None:
    preview = server.server.preview
    request(server, "/id/story.html")  # compiles messages.mo beside the catalog
    assert minimal.path("locales/id/LC_MESSAGES/messages.mo").is_file()
    time.sleep(1.0)  # the watcher reports within ~0.1 s; nothing may come
    assert preview.version.endswith("-0")

    before = preview.version
    minimal.replace(FACTS, "value: 3250", "value: 3500")
    wait_for(lambda: preview.version != before, "the fact change to bump the version")
    before = preview.version
    minimal.write("assets/style.css", "body { color: navy; }\n")
    wait_for(lambda: preview.version != before, "the stylesheet change to bump the version")
    before = preview.version
    minimal.replace("templates/articles/story.html", "<p>", "<p class='x'>")
    wait_for(lambda: preview.version != before, "the template change to bump the version")
    assert "at least 3,500" in request(server, "/en/story.html")[2]


def test_input_filter() -> None:
    keep = InputFilter()
    assert keep(Change.modified, "/p/facts/story.yaml")
    assert keep(Change.modified, "/p/locales/id/LC_MESSAGES/messages.po")
    assert keep(Change.deleted, "/p/assets/article.css")
    assert not keep(Change.modified, "/p/locales/id/LC_MESSAGES/messages.mo")
    assert not keep(Change.added, "/p/locales/id/LC_MESSAGES/.messages.mo.x1y2.tmp")
    assert not keep(Change.modified, "/p/facts/.story.yaml.swp")


# Ctrl-C -----------------------------------------------------------------------


def test_serve_prints_its_url_and_stops_cleanly_on_ctrl_c(minimal: Project) -> None:
    command = [sys.executable, "-m", "pipeline", "--project", str(minimal.root), "serve", "--port", "0"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.append(process.stdout.readline()), daemon=True)  # type: ignore[union-attr]
        reader.start()
        reader.join(timeout=20)
        assert lines, "no URL printed within 20 s"
        match = re.fullmatch(r"previewing (.+) at http://127\.0\.0\.1:(\d+)/ \(Ctrl-C stops\)\n", lines[0])
        assert match and match.group(1) == str(minimal.root), lines[0]
        connection = http.client.HTTPConnection("127.0.0.1", int(match.group(2)), timeout=15)
        connection.request("GET", "/id/story.html")
        assert connection.getresponse().status == 200
        connection.close()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert (process.returncode, out, err) == (0, "preview stopped\n", "")


# In a real browser ----------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


def chromium_or_skip() -> None:
    """Skip only where Chromium is genuinely missing; CI installs it (setup.sh), so there it fails."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.is_file()]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package")
    if missing:
        reason = (
            f"headless Chromium unavailable: missing {', '.join(missing)} "
            "(Debian: apt-get install chromium chromium-driver; setup.sh does this when run as root)"
        )
        if os.environ.get("CI", "").lower() not in ("", "0", "false"):
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture
def browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    chromium_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    for variable in PROXY_VARIABLES:  # the browser and its driver talk over 127.0.0.1 only
        monkeypatch.delenv(variable, raising=False)
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        *("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"),
        *("--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-proxy-server"),
        *("--disable-extensions", f"--user-data-dir={tmp_path / 'chromium-profile'}"),
    ):
        options.add_argument(argument)
    # An explicit driver path: selenium then never runs Selenium Manager (which would download one).
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def text(driver: Any, frame: str | None = None) -> str:
    """The visible text of the page, or of one column (frame) of it; "" while it reloads."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By

    try:
        driver.switch_to.default_content()
        if frame is not None:
            driver.switch_to.frame(driver.find_element(By.CSS_SELECTOR, f'iframe[name="{frame}"]'))
        return str(driver.find_element(By.TAG_NAME, "body").text)
    except WebDriverException:  # a stale or missing frame: the page is reloading
        return ""
    finally:
        driver.switch_to.default_content()


def test_browser_shows_a_changed_fact_in_both_columns(server: Running, minimal: Project, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    minimal.replace(PO, 'msgstr "Sebuah cerita pendek"', 'msgstr ""')  # one sentence left untranslated
    browser.get(server.url + "story")
    wait_for(lambda: "at least 3,250" in text(browser, "en"), "the English column")
    wait_for(lambda: "setidaknya 3.250" in text(browser, "id"), "the Indonesian column")
    browser.switch_to.frame(browser.find_element(By.CSS_SELECTOR, 'iframe[name="id"]'))
    highlighted = browser.find_element(By.CSS_SELECTOR, "span.untranslated")
    assert (highlighted.text, highlighted.value_of_css_property("background-color")) == (
        "A short story",
        "rgba(255, 241, 184, 1)",
    )
    browser.switch_to.default_content()

    minimal.replace(FACTS, "value: 3250", "value: 3500")
    wait_for(lambda: "at least 3,500" in text(browser, "en"), "the new figure in the English column")
    wait_for(lambda: "setidaknya 3.500" in text(browser, "id"), "the new figure in the Indonesian column")
    assert "3,250" not in text(browser, "en") and "3.250" not in text(browser, "id")

    minimal.replace(FACTS, "value: 3500", "value: many")
    wait_for(lambda: BROKEN_LINE in text(browser), "the error page naming facts/story.yaml:8")

    minimal.replace(FACTS, "value: many", "value: 3600")
    wait_for(lambda: "setidaknya 3.600" in text(browser, "id"), "the article again after the fix")
    assert "at least 3,600" in text(browser, "en")
    assert browser.current_url == server.url + "story"


@pytest.mark.parametrize(
    ("name", "loopback"),
    [
        ("localhost", True),
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("[::1]", True),
        ("[0:0:0:0:0:0:0:1]", True),
        ("example.org", False),
        ("10.0.0.1", False),
        ("localhost.example.org", False),
    ],
)
def test_requests_are_served_for_every_loopback_address_the_server_binds(name: str, loopback: bool) -> None:
    # Any loopback literal may be bound (loopback_address), so requests naming it are served;
    # a DNS name other than localhost could be rebound to another machine and is refused.
    assert is_loopback_name(name) is loopback
