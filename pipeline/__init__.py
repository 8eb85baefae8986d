"""A bilingual content pipeline: one set of facts, English and Indonesian articles that cite them alike."""

DISTRIBUTION = "dwibahasa"
"""The name the package is installed under, which its version is read by."""
