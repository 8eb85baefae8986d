"""Tests of pipeline/facts/."""
