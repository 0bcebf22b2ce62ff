"""The web front door: FastAPI app, JSON API, server-rendered pages, static assets."""
