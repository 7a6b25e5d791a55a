"""Tools run by hand to rebuild shipped data (not imported by the app)."""
