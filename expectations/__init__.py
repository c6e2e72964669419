"""expectations stage."""
