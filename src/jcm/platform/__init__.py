"""The public–private platform: members, technology list, partner needs, matching,
city-to-city work and Environment Week business matching."""
