"""The parity stage."""
