"""What a new story starts with: its fact file and its article template.

Both follow the sample's conventions (docs/authoring.md): the fact file opens
with the schema line the YAML language server reads, declares the article
and holds one example of every kind of fact, each with a source and an as-of
date; the template extends the layout and cites one of those facts through
fig(), so the story builds before the editor has written a word.  Ids start
with the slug, so examples never collide with another story's facts.
"""

from __future__ import annotations

import datetime

SCHEMA_LINE = "# yaml-language-server: $schema=./facts.schema.json"


def prefix_of(slug: str) -> str:
    """The slug as the start of a fact or source id (ids take underscores, not hyphens)."""
    return slug.replace("-", "_")


def fact_file(slug: str, template: str, author: str, author_kind: str, today: datetime.date) -> str:
    p = prefix_of(slug)
    month = f"{today.year:04d}-{today.month:02d}"
    return f'''{SCHEMA_LINE}
# Facts for the story {slug} (templates/{template}), started with `pipeline new`.
# Every fact below is an example of one kind: replace its value, source and
# as_of with the story's own, and delete the kinds the story does not need
# (and the template's sentences citing them). Keep ids starting with {p}_
# so they never clash with another story's. docs/authoring.md explains every
# field; an editor with the YAML language server completes and checks them.

article:
  slug: {slug}
  template: {template}
  published: "{today.isoformat()}"    # replace: the publication date, "YYYY-MM-DD"
  author: {author}    # replace: the byline
  author_kind: {author_kind}    # person or organization (a desk, a newsroom)

sources:
  {p}_source:                     # replace: one record per publisher cited
    publisher: Example Publisher  # replace: as the publisher writes its own name
    title: Example report         # optional: the document cited
    url: https://example.org/     # optional: http(s) only

facts:
  {p}_count:                      # a whole number: "about 1,200" / "sekitar 1.200"
    kind: count
    value: 1200
    qualifier: about              # exact (default), about, at_least, more_than, almost, up_to, just_over
    source: {p}_source
    as_of: "{month}"
  {p}_percent:                    # 12.5 means 12.5%: "12.5%" / "12,5%"
    kind: percent
    value: 12.5
    display: {{decimals: 1}}
    source: {p}_source
    as_of: "{month}"
  {p}_money:                      # compact: "IDR1.5 billion" / "Rp1,5 miliar"
    kind: money
    value: 1500000000
    currency: IDR                 # ISO 4217
    display: {{style: compact, decimals: 1}}
    source: {p}_source
    as_of: "{month}"
  {p}_date:                       # "YYYY", "YYYY-MM" or "YYYY-MM-DD"
    kind: date
    value: "{month}"
    source: {p}_source
    as_of: "{month}"
  {p}_duration:                   # "three months" / "tiga bulan"
    kind: duration
    value: 3
    unit: month                   # day, week, month or year
    display: {{style: words}}
    source: {p}_source
    as_of: "{month}"
  {p}_rank:                       # "second" / "kedua"
    kind: rank
    value: 2
    source: {p}_source
    as_of: "{month}"
  {p}_series:                     # values over time; cite a point as fig("{p}_series", "{today.year - 1}")
    kind: series
    unit: count
    points:
      - {{period: "{today.year - 2}", value: 800}}
      - {{period: "{today.year - 1}", value: 1100}}
    source: {p}_source
    as_of: "{today.year - 1}"
  {p}_countries:                  # ISO 3166 codes: "Indonesia and Malaysia" / "Indonesia dan Malaysia"
    kind: countries
    value: [ID, MY]
    source: {p}_source
    as_of: "{month}"
  {p}_location:                   # a marker on a locator map, never written as text
    kind: coordinates
    value: {{lat: -6.2, lon: 106.85}}
    source: {p}_source
    as_of: "{month}"
'''


def article_template(slug: str, fact_file_name: str, headline: str) -> str:
    """The template; `headline` is already safe as the text of a {% trans %} block."""
    p = prefix_of(slug)
    return f"""{{% extends "base.html" %}}
{{#- The story {slug}, started with `pipeline new`; its facts are in {fact_file_name}.
    Replace the standfirst and the sentence below with the story's own. Every
    sentence is one {{% trans %}} block and every figure enters it as a
    placeholder from fig("fact_id"): never type a digit here
    (docs/authoring.md, "Templates"). -#}}

{{% block headline %}}{{% trans %}}{headline}{{% endtrans %}}{{% endblock %}}

{{#- The running title of the PDF's pages: shorten a long headline. -#}}
{{% block short_title %}}{{% trans %}}{headline}{{% endtrans %}}{{% endblock %}}

{{% block standfirst %}}{{% trans %}}
What this story is about, in a sentence or two: replace this standfirst.
{{% endtrans %}}{{% endblock %}}

{{% block body %}}
<p>{{% trans count=fig("{p}_count") %}}
Example Publisher counted {{{{ count }}}} of what this story is about: replace this sentence.
{{% endtrans %}}</p>
{{% endblock %}}
"""
