"""audiogen: turn a workout written in YAML into one MP3 to follow while training.

The library API matches the command line:

    import audiogen

    workout = audiogen.load_workout("workouts/quick-legs.yaml")
    print(audiogen.render_timeline(workout).timeline.to_json()["duration"])
    audiogen.build_workout(workout, Path("out/quick-legs.mp3"))

Every failure a user can fix is an `AudiogenError` with a message and an exit code.
"""

__version__ = "0.2.0"

from audiogen.errors import (
    AudiogenError,
    EncoderError,
    MusicError,
    UsageError,
    VoiceChoiceError,
    VoiceError,
    WorkoutError,
)
from audiogen.pipeline import BuildResult, Rendered, build_workout, render_timeline
from audiogen.plan.timeline import Timeline
from audiogen.workout.loader import Overrides, load_workout, parse_workout
from audiogen.workout.model import Workout

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
