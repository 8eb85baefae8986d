"""Tests of pipeline/audit/."""
