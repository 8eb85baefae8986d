"""Tests of pipeline/parity/."""
