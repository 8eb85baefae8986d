"""Tests of pipeline/graphics/."""
