"""The web layer: pages, JSON API, sessions. The only package (with app.py and cli.py) that knows Litestar."""
