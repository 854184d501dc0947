"""Make the example course's video and audio, and the media of the test fixtures, from text.

The files are committed (a build needs nothing of this); run this again to remake them after
changing a script below. It needs Debian's ``ffmpeg`` and ``espeak-ng``::

    apt-get install -y --no-install-recommends ffmpeg espeak-ng
    python tools/make_example_media.py

Speech comes from espeak-ng, so the captions (WebVTT, written here from the length of each
spoken line) say exactly what is heard. Video is VP9 with Opus in WebM and audio Opus in Ogg:
formats Debian's Chromium plays. Both are small (a few hundred kilobytes at most).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "therapy-foundations" / "assets" / "media"
FIXTURE = ROOT / "tests" / "fixtures" / "web" / "blocks" / "assets"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
GAP = 0.6  # seconds of silence between two lines
VOICES = {"Client": "en-us+f3", "Counselor": "en-us+m3", "Narrator": "en-gb+f2"}


@dataclass(frozen=True)
class Line:
    speaker: str
    text: str


EMPATHY_DEMO = [
    Line("Client", "I keep telling everyone I'm fine. But honestly, I'm exhausted."),
    Line("Counselor", "You've been holding it together for everyone else, and it has worn you out."),
    Line("Client", "Yes. Nobody seems to notice how much I'm carrying."),
    Line("Counselor", "It sounds lonely, carrying all of that without anyone seeing it."),
    Line("Client", "It really is."),
]
GROUNDING_PAUSE = [
    Line("Narrator", "Take a slow breath, and let your shoulders drop."),
    Line("Narrator", "Think of a recent session that stayed with you after the client left."),
    Line("Narrator", "Notice what you felt then, and what you feel now, without judging it."),
    Line("Narrator", "What might that feeling tell you about the client, and about yourself?"),
]


def run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def duration(path: Path) -> float:
    return float(run("ffprobe", "-v", "error", "-show_entries", "format=duration",
                     "-of", "default=nw=1:nk=1", str(path)))


def speak(lines: list[Line], folder: Path) -> tuple[Path, list[tuple[float, float, Line]]]:
    """One WAV of the lines spoken in turn, and when each is heard."""
    parts, cues, at = [], [], 0.5
    silence = folder / "gap.wav"
    run("ffmpeg", "-y", "-v", "error", "-f", "lavfi", "-i", "anullsrc=r=22050:cl=mono",
        "-t", str(GAP), str(silence))
    lead = folder / "lead.wav"
    run("ffmpeg", "-y", "-v", "error", "-f", "lavfi", "-i", "anullsrc=r=22050:cl=mono",
        "-t", "0.5", str(lead))
    parts.append(lead)
    for n, line in enumerate(lines):
        wav = folder / f"line{n}.wav"
        run("espeak-ng", "-v", VOICES[line.speaker], "-s", "150", "-w", str(wav), line.text)
        length = duration(wav)
        cues.append((at, at + length, line))
        at += length + GAP
        parts += [wav, silence]
    listing = folder / "parts.txt"
    listing.write_text("".join(f"file '{p}'\n" for p in parts), encoding="utf-8")
    speech = folder / "speech.wav"
    run("ffmpeg", "-y", "-v", "error", "-f", "concat", "-safe", "0", "-i", str(listing),
        "-ar", "48000", str(speech))
    return speech, cues


def clock(seconds: float) -> str:
    millis = round(seconds * 1000)
    return f"{millis // 3600000:02d}:{millis // 60000 % 60:02d}:{millis // 1000 % 60:02d}.{millis % 1000:03d}"


def vtt(cues: list[tuple[float, float, Line]], speakers: bool) -> str:
    out = ["WEBVTT", ""]
    for n, (start, end, line) in enumerate(cues, 1):
        text = f"<v {line.speaker}>{line.text}" if speakers else line.text
        out += [str(n), f"{clock(start)} --> {clock(end)}", text, ""]
    return "\n".join(out)


def video(speech: Path, cues: list[tuple[float, float, Line]], dest: Path, size: str) -> None:
    """A card per line: who speaks (the words are in the captions), on the course's colour."""
    total = duration(speech) + 0.5
    labels = ",".join(
        f"drawtext=fontfile={FONT}:text='{line.speaker}':fontcolor=white:fontsize=h/9:"
        f"x=(w-text_w)/2:y=(h-text_h)/2:enable='between(t,{start:.3f},{end:.3f})'"
        for start, end, line in cues
    )
    title = (f"drawtext=fontfile={FONT}:text='Reflecting feeling':fontcolor=white@0.8:"
             "fontsize=h/14:x=(w-text_w)/2:y=h-2*text_h")
    run("ffmpeg", "-y", "-v", "error", "-f", "lavfi", "-i", f"color=c=0x2E6F73:s={size}:r=12:d={total:.3f}",
        "-i", str(speech), "-vf", f"{labels},{title}", "-c:v", "libvpx-vp9", "-b:v", "60k",
        "-threads", "1", "-c:a", "libopus", "-b:a", "24k", "-ac", "1", "-shortest",
        "-map_metadata", "-1", "-fflags", "+bitexact", str(dest))


def audio(speech: Path, dest: Path) -> None:
    run("ffmpeg", "-y", "-v", "error", "-i", str(speech), "-c:a", "libopus", "-b:a", "24k",
        "-ac", "1", "-map_metadata", "-1", "-fflags", "+bitexact", str(dest))


def poster(clip: Path, dest: Path) -> None:
    run("ffmpeg", "-y", "-v", "error", "-ss", "1.5", "-i", str(clip), "-frames:v", "1", str(dest))


def main() -> int:
    EXAMPLE.mkdir(parents=True, exist_ok=True)
    FIXTURE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        speech, cues = speak(EMPATHY_DEMO, folder)
        video(speech, cues, EXAMPLE / "empathy-demo.webm", "480x270")
        (EXAMPLE / "empathy-demo.en.vtt").write_text(vtt(cues, True), encoding="utf-8")
        poster(EXAMPLE / "empathy-demo.webm", EXAMPLE / "empathy-demo-poster.jpg")
    with tempfile.TemporaryDirectory() as scratch:
        speech, cues = speak(GROUNDING_PAUSE, Path(scratch))
        audio(speech, EXAMPLE / "grounding-pause.ogg")
    with tempfile.TemporaryDirectory() as scratch:
        speech, cues = speak(EMPATHY_DEMO[:2], Path(scratch))
        video(speech, cues, FIXTURE / "clip.webm", "160x90")
        (FIXTURE / "clip.vtt").write_text(vtt(cues, False), encoding="utf-8")
        audio(speech, FIXTURE / "clip.ogg")
    for path in sorted([*EXAMPLE.iterdir(), *FIXTURE.iterdir()]):
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
