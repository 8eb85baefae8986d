"""Tests of pipeline/build/."""
