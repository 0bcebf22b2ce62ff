"""The JCM project record and its life cycle."""
