"""Tests of pipeline/provenance/."""
