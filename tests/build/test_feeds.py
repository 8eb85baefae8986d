"""The Atom feeds and the sitemap as a build publishes them, and keeps them in step, build after build."""

from __future__ import annotations

import os
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from pipeline.build.incremental import read_manifest
from pipeline.build.run import build
from tests.conftest import Project, tree_digest

SITE = "https://news.example.org/briefings/"
A = "{http://www.w3.org/2005/Atom}"
FEEDS = ("en/feed.atom", "id/feed.atom")


@pytest.fixture
def built(sample_build: Project, tmp_path: Path) -> Project:
    """A private copy of the built sample, published output and manifest included."""
    root = tmp_path / "project"
    shutil.copytree(sample_build.root, root, symlinks=True)
    return Project(root)


def with_site(project: Project) -> None:
    project.write("pipeline.toml", f'base_url = "{SITE}"\n[locales]\nen = "en_GB"\nid = "id"\n')


def inodes(project: Project) -> dict[str, int]:
    return {name: os.stat(project.out / name).st_ino for name in FEEDS}


def test_the_sample_publishes_a_feed_per_language_and_no_sitemap_without_a_site_address(
    sample_build: Project,
) -> None:
    manifest = read_manifest(sample_build.out)
    for name in FEEDS:
        root = ET.fromstring((sample_build.out / name).read_bytes())
        assert root.tag == f"{A}feed" and len(root.findall(f"{A}entry")) == 6
        assert name in manifest.files
    assert not (sample_build.out / "sitemap.xml").exists()


def test_setting_base_url_adds_the_sitemap_and_absolute_links_rendering_no_page(built: Project) -> None:
    with_site(built)
    report = build(built.root, built.out, jobs=1)
    assert report.rendered_pdfs == [] and all(not name.startswith("index") for name in report.reused_html)
    sitemap = ET.fromstring((built.out / "sitemap.xml").read_bytes())
    assert len(sitemap) == 3 * 7  # six articles and the index, in three editions
    feed = ET.fromstring((built.out / "en" / "feed.atom").read_bytes())
    assert {link.get("href", "")[: len(SITE)] for link in feed.iter(f"{A}link")} == {SITE}
    assert "sitemap.xml" in read_manifest(built.out).files
    assert build(built.root, built.out).up_to_date
    # Taking it away again takes the sitemap away: nothing stale stays published.
    built.path("pipeline.toml").unlink()
    build(built.root, built.out, jobs=1)
    assert not (built.out / "sitemap.xml").exists()


def test_a_changed_headline_rewrites_only_its_languages_feed(built: Project) -> None:
    before, linked = tree_digest(built.out), inodes(built)
    built.replace(
        "locales/id/LC_MESSAGES/messages.po", 'msgstr "Merebut kembali %(place)s"', 'msgstr "Merebut %(place)s"'
    )
    build(built.root, built.out, jobs=1)
    after = tree_digest(built.out)
    assert before["en/feed.atom"] == after["en/feed.atom"] and inodes(built)["en/feed.atom"] == linked["en/feed.atom"]
    assert before["id/feed.atom"] != after["id/feed.atom"]
    assert "<title>Merebut Mosul</title>" in (built.out / "id" / "feed.atom").read_text()


def test_a_changed_date_rewrites_both_feeds(built: Project) -> None:
    old = (built.out / "en" / "feed.atom").read_text()
    built.replace("facts/iraq-syria-crisis.yaml", 'published: "2018-03-29"', 'published: "2018-04-02"')
    build(built.root, built.out, jobs=1)
    for name in FEEDS:
        text = (built.out / name).read_text()
        assert "<updated>2018-04-02T12:00:00Z</updated>" in text.split("<entry>")[0]
    assert old != (built.out / "en" / "feed.atom").read_text()


def test_a_change_elsewhere_leaves_the_feeds_byte_for_byte(built: Project) -> None:
    linked = inodes(built)
    before = {name: (built.out / name).read_bytes() for name in FEEDS}
    built.replace("facts/iraq-syria-crisis.yaml", "value: 353900", "value: 354100")
    build(built.root, built.out, jobs=1)
    assert {name: (built.out / name).read_bytes() for name in FEEDS} == before
    assert inodes(built) == linked  # linked from the published folder, not written again


def test_a_feed_deleted_or_edited_by_hand_is_restored(built: Project) -> None:
    original = (built.out / "id" / "feed.atom").read_bytes()
    (built.out / "id" / "feed.atom").write_bytes(original.replace(b"<title>", b"<title>X", 1))
    (built.out / "en" / "feed.atom").unlink()
    report = build(built.root, built.out, jobs=1)
    assert not report.up_to_date and report.rendered_pdfs == []
    assert (built.out / "id" / "feed.atom").read_bytes() == original
    assert (built.out / "en" / "feed.atom").is_file()


def test_a_headline_xml_cannot_carry_stops_the_build_before_anything_is_written(built: Project) -> None:
    before = tree_digest(built.out)
    template = "templates/articles/city-brief.html"
    built.replace(template, "{% block headline %}", "{% block headline %}\x01")
    result = built.build()
    assert result.code == 2, result.err
    assert "a character XML 1.0 cannot carry" in result.err and "[feed.character]" in result.err
    assert tree_digest(built.out) == before
