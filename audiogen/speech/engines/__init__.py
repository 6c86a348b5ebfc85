"""The built-in speech engines: importing this package registers each of them.

One module per engine; a new engine is a new module here (added to the list below) or
any module of a plugin or test that calls `audiogen.speech.registry.register`.
"""

from audiogen.speech.engines import espeak, piper, system_voices

__all__ = ["espeak", "piper", "system_voices"]
