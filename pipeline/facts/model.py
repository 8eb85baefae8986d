"""The language-neutral fact model.

A fact is a typed figure with an id, a source and the date it holds at.  No
fact carries language text: everything a reader sees in words comes from the
templates, the catalogs or Babel's locale data.  The schema is strict (no type
coercion) and closed (unknown keys are errors) so that a typo in a fact file
fails loudly instead of publishing a wrong number.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Literal

from babel import Locale
from babel.numbers import list_currencies
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from pipeline.language import DatePart, Qualifier

IDENTIFIER_PATTERN = r"^[a-z][a-z0-9_]*$"
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
# [0-9], not \d: Python's \d also takes Arabic-Indic and other look-alike digits.
PARTIAL_DATE_PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"

Identifier = Annotated[str, Field(pattern=IDENTIFIER_PATTERN, max_length=80)]
Precision = Literal["year", "month", "day"]


@dataclass(frozen=True, order=True)
class PartialDate:
    """A calendar date known to a year, a month or a day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    def as_date(self) -> datetime.date:
        """The first day of the period, for Babel's date formatting."""
        return datetime.date(self.year, self.month or 1, self.day or 1)

    def __str__(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
        if self.day is not None:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)


def parse_partial_date(raw: Any) -> PartialDate:
    if isinstance(raw, PartialDate):
        return raw
    # A bare YAML date or an integer year is refused: dates are written as
    # quoted strings so that their precision is exactly what the editor typed.
    if isinstance(raw, int) and not isinstance(raw, bool) and 1000 <= raw <= 9999:
        raise ValueError(f'write the year as a quoted string, "{raw}"')
    if not isinstance(raw, str) or not re.fullmatch(PARTIAL_DATE_PATTERN, raw):
        raise ValueError('expected a date written as "YYYY", "YYYY-MM" or "YYYY-MM-DD"')
    pieces = [int(piece) for piece in raw.split("-")]
    try:
        datetime.date(pieces[0], pieces[1] if len(pieces) > 1 else 1, pieces[2] if len(pieces) > 2 else 1)
    except ValueError as exc:
        raise ValueError(f"{raw!r} is not a calendar date ({exc})") from None
    return PartialDate(*pieces)


PartialDateField = Annotated[
    PartialDate,
    PlainValidator(parse_partial_date),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "pattern": PARTIAL_DATE_PATTERN}),
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, use_attribute_docstrings=True)


class Display(Strict):
    style: Literal["full", "compact", "words", "digits"] = "full"
    """How the number is written: full digits (364,792), compact (5.6 million),
    words (four) or, for ranks, digits (2nd)."""

    decimals: Annotated[int, Field(ge=0, le=3)] | None = None
    """Digits after the decimal mark; the translator cannot change it."""


class Source(Strict):
    publisher: Annotated[str, Field(min_length=1, max_length=200)]
    """Who published the figure, as the publisher writes its own name."""

    title: Annotated[str, Field(min_length=1, max_length=300)] | None = None
    """Title of the report or page cited, in its original language."""

    # No identity escapes (such as \"): the schema's patterns must compile in
    # ECMAScript's Unicode mode, which editors' YAML language servers use.
    url: Annotated[str, Field(pattern=r"""^https?://[^\s"'<>`\\]+$""", max_length=500)] | None = None
    """Where the reader can check the figure (http or https only)."""


class FactBase(Strict):
    source: Identifier
    """Id of the source record the figure comes from."""

    as_of: PartialDateField
    """The date the figure holds at ("YYYY", "YYYY-MM" or "YYYY-MM-DD")."""

    qualifier: Qualifier = "exact"
    """How the number relates to the truth: exact, about, at least, ..."""

    measure: Identifier | None = None
    """Names the quantity measured; facts sharing a measure are variants of
    one another and an article may cite only one of them."""

    @model_validator(mode="after")
    def _check_display(self) -> FactBase:
        display: Display | None = getattr(self, "display", None)
        allowed = DISPLAY_STYLES.get(getattr(self, "kind", ""), ("full",))
        if display is not None and display.style not in allowed:
            raise ValueError(f"display style {display.style!r} is not one of {', '.join(allowed)}")
        value = getattr(self, "value", None)
        if display is not None and display.style == "words" and not (isinstance(value, int) and 0 <= value <= 10):
            raise ValueError("display style 'words' is for whole numbers from 0 to 10")
        return self


NonNegativeNumber = Annotated[int, Field(ge=0)] | Annotated[float, Field(ge=0, allow_inf_nan=False)]


class CountFact(FactBase):
    kind: Literal["count"]
    """Which kind of fact this is; it decides the type of `value`."""

    value: Annotated[int, Field(ge=0)]
    """A whole number of people, events, places..."""

    display: Display = Display()
    """Full digits, compact (5.6 million) or words (two)."""


class PercentFact(FactBase):
    kind: Literal["percent"]
    """Which kind of fact this is; it decides the type of `value`."""

    value: NonNegativeNumber
    """The percentage: 98 means 98%."""

    display: Display = Display()
    """Decimals shown."""


class MoneyFact(FactBase):
    kind: Literal["money"]
    """Which kind of fact this is; it decides the type of `value`."""

    value: NonNegativeNumber
    """The amount in the currency's main unit."""

    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    """ISO 4217 currency code, e.g. USD."""

    display: Display = Display()
    """Full digits or compact (US$1 billion)."""

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, currency: str) -> str:
        if currency not in known_currencies():
            raise ValueError(f"unknown ISO 4217 currency {currency!r}")
        return currency


class DateFact(FactBase):
    kind: Literal["date"]
    """Which kind of fact this is; it decides the type of `value`."""

    value: PartialDateField
    """When it happened, at the precision known."""

    part: DatePart | None = None
    """Which part of the period: early, mid or end (end of February 2018)."""


class DurationFact(FactBase):
    kind: Literal["duration"]
    """Which kind of fact this is; it decides the type of `value`."""

    value: Annotated[int, Field(ge=1)]
    """How many units."""

    unit: Literal["day", "week", "month", "year"]
    """The unit of time."""

    display: Display = Display()
    """Full digits or words (four years)."""


class RankFact(FactBase):
    kind: Literal["rank"]
    """Which kind of fact this is; it decides the type of `value`."""

    value: Annotated[int, Field(ge=1)]
    """The position: 2 for second."""

    display: Display = Display(style="words")
    """Words (second) or digits (2nd)."""


class SeriesPoint(Strict):
    period: PartialDateField
    """The year or month the value belongs to."""

    value: NonNegativeNumber
    """The value for that period."""


class SeriesFact(FactBase):
    kind: Literal["series"]
    """Which kind of fact this is; it decides the type of `value`."""

    unit: Literal["count", "percent"]
    """What each point counts."""

    points: Annotated[list[SeriesPoint], Field(min_length=1)]
    """The (period, value) pairs, in order."""

    display: Display = Display()
    """How each point is written."""

    @model_validator(mode="after")
    def _unique_periods(self) -> SeriesFact:
        periods = [str(point.period) for point in self.points]
        if len(set(periods)) != len(periods):
            raise ValueError("a series lists a period twice")
        if self.unit == "count" and any(not isinstance(point.value, int) for point in self.points):
            raise ValueError("a count series takes whole numbers")
        return self

    def point(self, period: str) -> SeriesPoint | None:
        return next((point for point in self.points if str(point.period) == period), None)


class CountriesFact(FactBase):
    kind: Literal["countries"]
    """Which kind of fact this is; it decides the type of `value`."""

    value: Annotated[list[Annotated[str, Field(pattern=r"^[A-Z]{2}$")]], Field(min_length=1)]
    """ISO 3166-1 alpha-2 codes; names come from Babel's locale data."""

    @field_validator("value")
    @classmethod
    def _known_territories(cls, codes: list[str]) -> list[str]:
        unknown = [code for code in codes if code not in known_territories()]
        if unknown:
            raise ValueError(f"unknown ISO 3166 country code {', '.join(unknown)}")
        return codes


class Position(Strict):
    lat: Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
    """Latitude in decimal degrees, north positive (Mosul: 36.34)."""

    lon: Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]
    """Longitude in decimal degrees, east positive (Mosul: 43.13)."""


class CoordinatesFact(FactBase):
    kind: Literal["coordinates"]
    """Which kind of fact this is; it decides the type of `value`."""

    value: Position
    """Where a place is (WGS 84); drawn on maps, never written as a figure."""


Fact = Annotated[
    CountFact
    | PercentFact
    | MoneyFact
    | DateFact
    | DurationFact
    | RankFact
    | SeriesFact
    | CountriesFact
    | CoordinatesFact,
    Field(discriminator="kind"),
]

DISPLAY_STYLES: dict[str, tuple[str, ...]] = {
    "count": ("full", "compact", "words"),
    "percent": ("full",),
    "money": ("full", "compact"),
    "duration": ("full", "words"),
    "rank": ("words", "digits"),
    "series": ("full", "compact"),
}


INDEX_SLUG = "index"
"""The file name of each edition's index page, which no article may take."""


class Article(Strict):
    slug: Annotated[str, Field(pattern=SLUG_PATTERN, max_length=80)]
    """File name of the article in every output folder."""

    template: Annotated[str, Field(pattern=r"^[A-Za-z0-9_./-]+\.html$", max_length=200)]
    """Template under templates/ that holds the article's prose."""

    published: PartialDateField
    """Publication date (YYYY-MM-DD)."""

    author: Annotated[str, Field(min_length=1, max_length=200)]
    """Byline, as the author writes their name."""
    author_kind: Literal["person", "organization"] = "person"
    """Whether the byline names a person or an organisation (a desk): the pages' structured data says which."""

    max_fact_age_months: Annotated[int, Field(ge=1, le=1200)] | None = None
    """How old a cited fact may be, in months after its as_of period ends;
    `pipeline check` warns about older ones (and fails with --strict)."""

    @field_validator("slug")
    @classmethod
    def _not_the_index(cls, slug: str) -> str:
        if slug == INDEX_SLUG:
            raise ValueError(f"slug {INDEX_SLUG!r} is taken by the index page")
        return slug

    @model_validator(mode="after")
    def _check(self) -> Article:
        if ".." in self.template.split("/"):
            raise ValueError("template path may not contain '..'")
        if self.published.precision != "day":
            raise ValueError('published takes a full date, "YYYY-MM-DD"')
        return self


ITEM_PLACEHOLDER = "{item}"
ITEM_ID_ROLE = "id"  # `item.id` in a series template is the item's id, so no role may take the name


class ArticleSeries(Article):
    """One article per item from one template (a brief per city); not the `series` kind of fact."""

    slug: Annotated[str, Field(pattern=r"^[a-z0-9-]*\{item\}[a-z0-9-]*$", max_length=80)]
    """File name of each article, "{item}" standing for the item's id with
    hyphens for underscores: "brief-{item}" names item deir_al_zour's article
    brief-deir-al-zour."""

    items: Annotated[dict[Identifier, dict[Identifier, Identifier]], Field(min_length=1)]
    """One article per item, in this order: item id -> {role: fact id}.  The
    template cites a role's fact as fig(item.role); no role may be called "id"."""

    def slug_of(self, item_id: str) -> str:
        return self.slug.replace(ITEM_PLACEHOLDER, item_id.replace("_", "-"))


class FactFile(Strict):
    """One YAML file under facts/."""

    sources: dict[Identifier, Source] = {}
    """Source records, by id."""

    facts: dict[Identifier, Fact] = {}
    """Facts, by id."""

    article: Article | None = None
    """The article these facts belong to, if any."""

    series: dict[Identifier, ArticleSeries] = {}
    """Series of articles generated from one template, by id."""


@cache
def known_currencies() -> frozenset[str]:
    return frozenset(list_currencies())


@cache
def known_territories() -> frozenset[str]:
    codes: list[str] = [str(code) for code in Locale("en").territories]
    return frozenset(code for code in codes if len(code) == 2 and code.isalpha())
