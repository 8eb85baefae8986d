"""The provenance stage."""
