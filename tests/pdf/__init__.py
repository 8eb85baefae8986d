"""Tests of pipeline/pdf/."""
