"""Tests of pipeline/reading/."""
