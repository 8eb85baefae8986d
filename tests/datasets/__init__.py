"""Tests of pipeline/datasets/."""
