"""A real X11 window with known content, for screen-capture tests and the capture benchmark.

    python -m tests.fakes.tk_screen_app --ready FILE [--busy] [--x 200 --y 150 --width 900 --height 400]

Window mode: a magenta window at a fixed place with a big white "ALPHAOMEGA 42" and a
small "Error: disk full" dialog-like box. Busy mode: the whole screen filled with dense
coloured text and noise, which is hard for JPEG (a worst case for the benchmark). When
the window is on screen, its rectangle is written to FILE as JSON. Runs until killed.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import time
import tkinter as tk
from dataclasses import dataclass
from pathlib import Path

MAGENTA = "#ff00ff"
BIG_TEXT = "ALPHAOMEGA 42"
ERROR_TEXT = "Error: disk full"


def window_mode(root: tk.Tk, x: int, y: int, width: int, height: int) -> tk.Widget:
    root.overrideredirect(True)  # no window manager runs under Xvfb: the geometry is exact
    root.geometry(f"{width}x{height}+{x}+{y}")
    frame = tk.Frame(root, bg=MAGENTA, width=width, height=height)
    frame.pack(fill="both", expand=True)
    tk.Label(frame, text=BIG_TEXT, bg=MAGENTA, fg="white", font=("Helvetica", 48, "bold")).place(x=20, y=20)
    dialog = tk.Frame(frame, bg="white", bd=2, relief="ridge")
    dialog.place(x=width - 320, y=height - 120, width=300, height=100)
    tk.Label(dialog, text=ERROR_TEXT, bg="white", fg="red", font=("Helvetica", 16)).pack(pady=10)
    tk.Button(dialog, text="OK").pack()
    return frame


def busy_mode(root: tk.Tk) -> tk.Widget:
    width, height = root.winfo_screenwidth(), root.winfo_screenheight()
    root.overrideredirect(True)
    root.geometry(f"{width}x{height}+0+0")
    canvas = tk.Canvas(root, width=width, height=height, bg="white", highlightthickness=0)
    canvas.pack()
    rng = random.Random(5)
    colours = ["black", "red", "blue", "darkgreen", "purple", "brown", "navy"]
    words = "the quick brown fox jumps over lazy dog error warning file edit view help".split()
    for row in range(0, height, 14):
        line = " ".join(rng.choice(words) for _ in range(width // 40))
        canvas.create_text(0, row, anchor="nw", text=line, fill=rng.choice(colours), font=("Helvetica", 9))
    for left, top in ((width // 5, height // 4), (width // 2, height // 2)):
        noise = tk.PhotoImage(data=_noise_ppm(400, 300, rng), format="ppm")
        canvas.create_image(left, top, anchor="nw", image=noise)
        canvas.images = [*getattr(canvas, "images", []), noise]  # keep a reference or Tk drops it
    return canvas


def _noise_ppm(width: int, height: int, rng: random.Random) -> bytes:
    return b"P6 %d %d 255\n" % (width, height) + rng.randbytes(width * height * 3)


@dataclass
class RunningApp:
    process: subprocess.Popen
    rect: dict

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


def start(display: str, ready: Path, *extra: str, timeout: float = 20.0) -> RunningApp:
    """Run the app on `display` in its own process; returns once the window is painted."""
    ready.unlink(missing_ok=True)
    env = {**os.environ, "DISPLAY": display}
    process = subprocess.Popen([sys.executable, "-m", "tests.fakes.tk_screen_app", "--ready", str(ready), *extra],
                               env=env, cwd=Path(__file__).resolve().parents[2],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + timeout
    while not ready.exists():
        if process.poll() is not None:
            raise RuntimeError(f"tk_screen_app exited: {process.stderr.read().decode(errors='replace')}")
        if time.monotonic() > deadline:
            process.kill()
            raise TimeoutError("tk_screen_app did not show its window")
        time.sleep(0.05)
    return RunningApp(process, json.loads(ready.read_text()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ready", required=True, help="file to write the window rectangle to, as JSON")
    parser.add_argument("--busy", action="store_true", help="fill the whole screen with hard-to-compress content")
    parser.add_argument("--x", type=int, default=200)
    parser.add_argument("--y", type=int, default=150)
    parser.add_argument("--width", type=int, default=900)
    parser.add_argument("--height", type=int, default=400)
    args = parser.parse_args()
    root = tk.Tk()
    widget = busy_mode(root) if args.busy else window_mode(root, args.x, args.y, args.width, args.height)

    def report() -> None:
        root.update_idletasks()
        rect = {"x": widget.winfo_rootx(), "y": widget.winfo_rooty(), "width": widget.winfo_width(),
                "height": widget.winfo_height(), "pid": os.getpid()}
        tmp = Path(args.ready + ".tmp")
        tmp.write_text(json.dumps(rect))
        tmp.replace(args.ready)

    widget.wait_visibility()  # mapped and visible ...
    root.update()  # ... and painted, before anyone is told to look
    report()
    root.mainloop()


if __name__ == "__main__":
    main()
