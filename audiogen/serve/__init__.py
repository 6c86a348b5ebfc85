"""`audiogen serve`: the built tracks on a phone, as web pages and a podcast feed.

`app` is the ASGI application, `library` reads the tracks, `feed` writes the podcast
feed, `files` decides which paths are safe and how files are served, `server` binds and
runs uvicorn, and `qr` prints the phone's address as a QR code.
"""
