"""audiogen: turn a workout written in YAML into one MP3 to follow while training."""

__version__ = "0.1.0"
