"""Files shipped inside the package: voice profiles, the music loop, phrasebooks.

Read them with `importlib.resources` (see `audiogen.core.resources`), never through a
path relative to a checkout: a wheel install has only what is inside the package.
"""
