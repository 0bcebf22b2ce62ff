"""Reference data: partner countries, technology categories, organisations."""
