"""Tests of pipeline/i18n/."""
