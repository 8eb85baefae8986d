"""`pipeline new SLUG`: a story's fact file and template, and the catalogs that ask for its sentences.

Everything is prepared before the project is touched: the new files are
added to a copy of the project's facts, templates and catalogs in a
temporary folder, where the same catalog update as `pipeline i18n extract`
and `update` runs (and loads every fact file, the new one included, with the
build's checks).  Only when that succeeds are the files written, each to a
temporary name beside its target, then renamed into place; a failure on the
way puts back what was there.  So a refused or interrupted `new` leaves no
half story, and a catalog is only ever replaced by one the update wrote.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.config import Config, load_config
from pipeline.errors import UserError, display_path
from pipeline.facts import load_facts
from pipeline.i18n import refresh_catalogs
from pipeline.scaffold.names import check_slug, check_title, headline_from_slug, template_text
from pipeline.scaffold.texts import article_template, fact_file

DEFAULT_AUTHOR = "Newsroom"
COPIED = ("facts", "templates", "locales", "pipeline.toml")


@dataclass
class NewStory:
    slug: str
    headline: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    untranslated: dict[str, int] = field(default_factory=dict)

    def report(self, as_json: bool) -> str:
        if as_json:
            document = {
                "slug": self.slug,
                "headline": self.headline,
                "created": self.created,
                "updated": self.updated,
                "untranslated": self.untranslated,
            }
            return json.dumps(document, ensure_ascii=False, indent=2)
        lines = [f"created {path}" for path in self.created] + [f"updated {path}" for path in self.updated]
        lines += [f"{code}: {count} untranslated entries" for code, count in self.untranslated.items()]
        lines.append("next: pipeline build --draft (English stands in for what is not translated yet)")
        return "\n".join(lines)


def new_story(project: Path, slug: str, title: str | None = None, today: datetime.date | None = None) -> NewStory:
    """Start the story `slug`; raises UserError, having written nothing, when it cannot."""
    check_slug(slug)
    headline = check_title(title if title is not None else headline_from_slug(slug))
    config = load_config(project)
    fact_path = config.facts_dir / f"{slug}.yaml"
    template_name = f"articles/{slug}.html"
    template_path = config.templates_dir / template_name
    base = load_facts(config)
    if slug in base.articles:
        origin = base.origin("article", slug)
        raise UserError.single(f"article {slug!r} exists; choose another slug", "new.exists", origin.file, origin.line)
    for path in (fact_path, fact_path.with_suffix(".yml"), template_path):
        if os.path.lexists(path):
            raise UserError.single(
                "a file of that name exists; choose another slug, or remove the file",
                "new.exists",
                _shown(path, config),
            )
    bylines = sorted({(article.author, article.author_kind) for article in base.articles.values()})
    byline, kind = bylines[0] if bylines else (DEFAULT_AUTHOR, "organization")
    author = json.dumps(byline, ensure_ascii=False)
    new_files = {
        fact_path: fact_file(slug, template_name, author, kind, today or datetime.date.today()).encode("utf-8"),
        template_path: article_template(slug, _shown(fact_path, config), template_text(headline)).encode("utf-8"),
    }
    story = NewStory(slug, headline, created=[_shown(path, config) for path in new_files])
    catalogs = _updated_catalogs(config, new_files, story)
    existed = {path: os.path.lexists(path) for path in catalogs}
    # Catalogs first, the fact file last: until the fact file lands there is no story, only sentences awaiting one.
    _write_all({**catalogs, template_path: new_files[template_path], fact_path: new_files[fact_path]})
    story.created += [_shown(path, config) for path in catalogs if not existed[path]]
    story.updated = [_shown(path, config) for path in catalogs if existed[path]]
    return story


def _shown(path: Path, config: Config) -> str:
    return display_path(path, config.root)


def _updated_catalogs(config: Config, new_files: dict[Path, bytes], story: NewStory) -> dict[Path, bytes]:
    """The catalogs as the update writes them once the new files are there, made in a copy of the project."""
    with tempfile.TemporaryDirectory(prefix="pipeline-new-") as folder:
        staging = Path(folder)
        for name in COPIED:
            source = config.root / name
            if source.is_dir() and not source.is_symlink():
                # Links stay links, so the copy refuses them as the project would.
                shutil.copytree(source, staging / name, symlinks=True, ignore=shutil.ignore_patterns("*.mo"))
            elif os.path.lexists(source):
                shutil.copy2(source, staging / name, follow_symlinks=False)
        for path, data in new_files.items():
            copy = staging / path.relative_to(config.root)
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_bytes(data)
        staged = load_config(staging)
        document = refresh_catalogs(staged)
        story.untranslated = {entry["locale"]: entry["untranslated"] for entry in document["catalogs"]}
        changed: dict[Path, bytes] = {}
        for written in (document["template"], *document["catalogs"]):
            if written["written"]:
                changed[config.root / written["path"]] = (staging / written["path"]).read_bytes()
        return changed


def _write_all(files: dict[Path, bytes]) -> None:
    """Every file or none: all are written under temporary names first, then renamed in order."""
    temporary: dict[Path, str] = {}
    before: dict[Path, bytes | None] = {}
    made_folders: list[Path] = []
    try:
        for path, data in files.items():
            missing = [folder for folder in (path.parent, *path.parent.parents) if not folder.exists()]
            path.parent.mkdir(parents=True, exist_ok=True)
            made_folders += reversed(missing)
            handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            temporary[path] = name
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
        for path, name in temporary.items():
            before[path] = path.read_bytes() if os.path.lexists(path) else None
            os.replace(name, path)
    except BaseException:
        for path, original in before.items():
            if original is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(original)
        for name in temporary.values():
            Path(name).unlink(missing_ok=True)
        for folder in reversed(made_folders):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
