"""City-to-city collaboration between Japanese municipalities and partner cities."""
