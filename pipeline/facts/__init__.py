"""The facts stage."""
