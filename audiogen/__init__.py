"""audiogen: turn a workout written in YAML into one MP3 to follow while training.

The library API matches the command line:

    import audiogen

    workout = audiogen.load_workout("workouts/quick-legs.yaml")
    print(audiogen.render_timeline(workout).timeline.to_json()["duration"])
    audiogen.build_workout(workout, Path("out/quick-legs.mp3"))

Every failure a user can fix is an `AudiogenError` with a message and an exit code.
"""

__version__ = "0.2.0"

from typing import TYPE_CHECKING, Any

from audiogen.errors import (
    AudiogenError,
    EncoderError,
    MusicError,
    UsageError,
    VoiceChoiceError,
    VoiceError,
    WorkoutError,
)

if TYPE_CHECKING:
    from audiogen.pipeline import BuildResult, Rendered, build_workout, render_timeline
    from audiogen.plan.timeline import Timeline
    from audiogen.workout.loader import Overrides, load_workout, parse_workout
    from audiogen.workout.model import Workout

# The rest of the API is imported when first used: a process that needs one module of
# the package (a speech worker, `audiogen --help`) does not pay for the whole pipeline.
_LAZY = {
    "BuildResult": "audiogen.pipeline",
    "Rendered": "audiogen.pipeline",
    "build_workout": "audiogen.pipeline",
    "render_timeline": "audiogen.pipeline",
    "Timeline": "audiogen.plan.timeline",
    "Overrides": "audiogen.workout.loader",
    "load_workout": "audiogen.workout.loader",
    "parse_workout": "audiogen.workout.loader",
    "Workout": "audiogen.workout.model",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'audiogen' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


__all__ = [
    "AudiogenError",
    "BuildResult",
    "EncoderError",
    "MusicError",
    "Overrides",
    "Rendered",
    "Timeline",
    "UsageError",
    "VoiceChoiceError",
    "VoiceError",
    "Workout",
    "WorkoutError",
    "__version__",
    "build_workout",
    "load_workout",
    "parse_workout",
    "render_timeline",
]
