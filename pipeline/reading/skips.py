"""Digits in running text that are not figures, numbers glued to a label, slashed dates.

Published text is full of digit runs that name, locate or reach something
rather than count it: footnote markers, clock times, phone numbers and area
codes, postal codes, coordinates, the number of a law.  Read as counts they
would pair with real counts in the other language, or be reported as
one-sided, so the extractor consumes each of these shapes whole in its `skip`
group and reads nothing inside it.  Consuming the whole shape matters as much
as recognising it: a pattern that stopped at the first separator would leave
the rest ("345,678" of "MI5,345,678") to be read as a figure.

Slashed numbers are all decided here: a slashed date with a four-digit year
is read (slash_date), any other slashed number is skipped.

They live apart from pipeline.reading.extract because they are a list that grows
with every new kind of published text, while the grammar of figures changes
rarely.  Each pattern is written for any text of its kind, never for one text;
when a shape could also be a figure and nothing settles it (an ungrouped
five-digit range followed by a noun may be a count), it stays a figure.
"""

from __future__ import annotations

import datetime
import re

from pipeline.facts import PartialDate

URL_OR_EMAIL = r"(?i:https?://|www\.)\S+|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"

# Footnote markers ("[12]"), fractions and slashed numbers whose parts cannot
# be told apart ("3/4", "12/2023": a regulation's number and year, or a month
# and year, or a fraction).  Slashed dates with a four-digit year are read
# before this, as SLASH_DATE (see slash_date()).
SLASH_DATE = r"(?<![0-9/.,])(?:[0-9]{1,2}/[0-9]{1,2}/[12][0-9]{3}|[12][0-9]{3}/[0-9]{1,2}/[0-9]{1,2})(?![0-9]|/[0-9])"
MARKERS = r"\[[0-9]{1,3}\]|[0-9]+(?:/[0-9]+)+"

# Clock times: "10:30", "pukul 10.30", "10.30 WIB", and time zone offsets ("UTC+7").
CLOCK = (
    r"[0-9]{1,2}:[0-9]{2}(?![0-9])|(?:UTC|GMT)[ \t]*[+−-][ \t]*[0-9]{1,2}(?:[:.][0-9]{2})?(?![0-9])"
    r"|(?i:pukul|jam)\s+[0-9]{1,2}[.:][0-9]{2}(?![0-9])|[0-9]{1,2}[.:][0-9]{2}\s*(?:WIB|WITA|WIT|GMT|UTC)(?!\w)"
)

# Telephone numbers and their parts.  A country code is written with "+"
# ("+62 22 1234567", "(+62) 22"); an area code or a local number with a
# leading zero ("(022)", "0274"), which no count is ever written with; and a
# code may be named ("kode area 022", "area code 22").  A signed change
# ("+52%", "+5.2") has no second digit group, so it stays a figure.
PHONE = (
    r"\+[0-9][0-9 ()-]{6,}[0-9]"
    r"|\(\+[0-9]{1,3}\)(?:[ -]?[0-9]+)*"
    r"|\+[0-9]{1,3}(?:[ -]\(?[0-9]+\)?)+"
    r"|\(0[0-9]{1,4}\)(?:[ -]?[0-9]{3,})*"
    r"|0[0-9]{2,}(?:[ -][0-9]{3,})*(?![.,]?[0-9])"
    r"|(?i:kode\s+(?:area|telepon|wilayah)|(?:area|dialling|dialing|telephone|phone)\s+codes?)"
    r"\s*:?\s*\(?\+?[0-9]+\)?(?:[ -][0-9]+)*"
)

# Postal codes after their name ("kode pos 40111", "postal code 40111 – 40999"),
# and a bare range of two ungrouped five-digit numbers that no noun or percent
# sign follows: prose groups counts that large ("40,111", "40.111"), so such a
# range is a postal code range, as in an infobox line "40111 – 40999".
POSTAL = (
    r"(?i:kode\s*pos|postal\s+codes?|post\s*codes?|zip\s+codes?)\s*:?\s*[0-9]{4,6}"
    r"(?:\s*[-–—,]\s*[0-9]{4,6}(?![0-9]))*"
    r"|(?<![0-9.,])[0-9]{5}[ \t]*[-–—][ \t]*[0-9]{5}(?![0-9]|[.,][0-9])(?![ \t]*(?:%|[a-z]))"
)

# Coordinates: degrees followed by minutes or a hemisphere ("6°12′S",
# "106°49'E", "6°LS"; Indonesian writes LU/LS/BT/BB), and plain decimal degrees
# after the word ("coordinates -6.2, 106.8", "koordinat 6,2 LS 106,8 BT").  A
# temperature ("30°C") has neither, and stays a figure.
_DEGREES = r"[0-9]+(?:[.,][0-9]+)?"
_HEMISPHERE = r"(?:[NSEW]|LU|LS|BT|BB)(?![^\W_])"
_DMS = (
    rf"{_DEGREES}[ \t]*°[ \t]*(?:{_DEGREES}[ \t]*['′](?:[ \t]*{_DEGREES}[ \t]*(?:[\"″]|''|′′))?[ \t]*"
    rf"{_HEMISPHERE}?|{_HEMISPHERE})"
)
# After the word, each point is read whole, degrees-minutes-seconds first: "Coordinates: 07°14′45″S" is
# no "07°" followed by a figure 14.
_POINT = rf"(?:{_DMS}|-?{_DEGREES}°?(?:\s*{_HEMISPHERE})?)"
COORDINATES = rf"{_DMS}|(?i:coordinates?|koordinat)(?:\s+(?:of|at|di))?\s*:?\s*{_POINT}(?:\s*[,;]?\s*{_POINT})?"

# The number of a law, regulation, decree or anything else numbered: "UU No.
# 16 tahun 1950", "Undang-Undang Nomor 16 Tahun 1950", "Law No. 16 of 1950",
# "PP No. 5/2021", "Perpres 12/2023".  The number is a name (read as a count,
# "16 tahun" even became a sixteen-year duration), and so is a law's year
# written with it ("tahun 1950", "of 1950", "/2021"): the law of 1950 is no
# event of 1950 for a year in the other text to pair with.  A regulation's
# abbreviation may be glued to an infobox label ("Dasar hukumUU No. 16").
REGULATIONS = "UU|Perppu|Perpu|Perpres|Keppres|Inpres|Kepres|PP|Perda|Pergub|Perbup|Perwal|Permen[A-Za-z]*"
NUMBERED = (
    rf"(?:(?<![^\W_])(?:No|NO|Nomor|nomor|NOMOR|Nr|Number)\.?[ \t]*"
    rf"|(?<![A-Z])(?:{REGULATIONS})(?:[ \t]+(?:No\.?|Nomor))?[ \t]+)[0-9]+(?:[/-][0-9]+)*"
    r"(?:[ \t]+(?:[Tt]ahun|TAHUN|of)[ \t]+[12][0-9]{3}(?![0-9]))?"
)

NOT_FIGURES = "|".join((URL_OR_EMAIL, COORDINATES, POSTAL, PHONE, NUMBERED, MARKERS, CLOCK, r"#\w+"))

# A name's number after a hyphen: COVID-19, F-16, H-1 (but "top-10" is a figure).
NAME_BEFORE_HYPHEN = re.compile(r"(?<![^\W_])[^\W_]*[A-Z][^\W_]*-$")

# Digits glued to letters belong to a name or code (MI5, G20, A320, H5N1,
# RM2.000, km2), except in an infobox row copied without its table cells: a
# label glued to its value ("Founded1527", " • Total2,345,678 (3rd)",
# "Administrative division30 districts", "Hari jadi25 September 1810").  Such a
# label fills its line up to the value: one to four words, the first
# capitalised, the last ending in lower case, after at most a bullet.  An all-capitals label ("IPM83,99") is
# a code's shape too (MI5 at a line's start), so it needs a value with a mark,
# which a code's number never has; so does a one-word label whose one or two
# digits run on into prose.  The whole glued run is consumed either way,
# so no part of it ("345,678" of "Total2,345,678") is read on its own.
PROSE_AFTER = re.compile(r"[ \t]+[a-z]{3,}")
LABEL = re.compile(r"[ \t]*(?:[•·▪*-][ \t]*)?(?P<words>[A-Z][^\W\d_]*(?:[ \t]+[^\W\d_]+){0,3})")


def labelled_value(text: str, start: int, token: str | None) -> bool:
    """Whether a figure starting at `start`, glued to the letters before it, is an infobox label's value."""
    label = LABEL.fullmatch(text, text.rfind("\n", 0, start) + 1, start)
    if label is None:
        return False
    words, bare = label["words"], token is None or token.isdigit()
    if words.isupper():
        return not bare
    if " " not in words and bare and len(token or "") <= 2 and PROSE_AFTER.match(text, start + len(token or "")):
        return False  # "Covid19 vaccines", "Pixel7 phones": a model's name opening a sentence
    return words[-1].islower()  # "The G20 summit" starts a line with a code, not a label


def glued(text: str, start: int) -> bool:
    """Whether a match starting at `start` is glued to a letter before it."""
    return start > 0 and text[start - 1].isalpha()


def slash_date(found: str, day_first: bool) -> PartialDate | int | None:
    """A SLASH_DATE ("4/3/2024") as a date, or as its year alone when the day and month cannot be told apart.

    A number over 12 tells the day; so does a language that always writes the
    day first (`day_first`: Indonesian, "Senin (4/3/2024)").  Otherwise only the
    year is certain, and the year still pairs with "4 March 2024" or "2024" in
    the other text.  None for what is no date (31/2/2024)."""
    first, second, third = (int(piece) for piece in found.split("/"))
    if first > 31:
        year, month, day = first, second, third
    else:
        year, day, month = third, first, second
        if first <= 12 and (second > 12 or (first != second and not day_first)):
            if second <= 12:
                return year
            day, month = second, first
    try:
        datetime.date(year, month, day)
    except ValueError:
        return None
    return PartialDate(year, month, day)


# "kedua bahasa", "ketiga negara": before its noun an Indonesian ordinal word
# means "both", "all three" -- a collective, not a rank.  After a noun it is a
# rank ("kota terbesar kedua", "kuartal ketiga"), and "kedua kalinya" is "the
# second time".  So it counts as collective only where a noun phrase starts:
# at a sentence or clause start, or after a preposition or conjunction.
COLLECTIVE_BEFORE = re.compile(
    r"(?:^|\n\s*|[.!?:;,(]\s*|\b(?:di|ke|dari|pada|untuk|bagi|oleh|dengan|antara|dan|atau|bahwa)\s+)$"
)
COLLECTIVE_AFTER = re.compile(r"\s+(?!kali(?:nya)?\b)[a-z]")


def collective(text: str, start: int, end: int, language: str) -> bool:
    """An ordinal word that means "both" or "all N" of what follows ("kedua tim"), in Indonesian."""
    return (
        language == "id"
        and bool(COLLECTIVE_AFTER.match(text, end))
        and bool(COLLECTIVE_BEFORE.search(text[max(0, start - 12) : start]))
    )
