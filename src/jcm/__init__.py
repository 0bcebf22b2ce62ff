"""JCM Platform."""
