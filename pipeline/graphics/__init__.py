"""The graphics stage."""
