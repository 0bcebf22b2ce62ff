"""Four-eyes approval of registry operations and each holding account's trusted accounts."""
