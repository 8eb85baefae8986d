"""The i18n stage."""
