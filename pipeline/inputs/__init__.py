"""The inputs stage."""
