"""A real X11 form and a fake terminal that record what the computer-use agent did to them.

    python -m tests.fakes.tk_form_app --ready FILE --events FILE

Two borderless windows at fixed places (no window manager runs under Xvfb, so the geometry is
exact): a form with a "Name" entry and a "Submit" button, and a "Terminal" window with a text
area. Every click on Submit, every change of the entry and every key that reaches the terminal
is appended to the events file as one JSON line. When both windows are on screen, the screen
rectangles of the widgets are written to the ready file. Runs until killed.
"""
import argparse
import json
import os
import subprocess
import sys
import time
import tkinter as tk
from dataclasses import dataclass
from pathlib import Path

FORM = {"x": 100, "y": 100, "width": 600, "height": 300}
TERMINAL = {"x": 800, "y": 100, "width": 600, "height": 400}


class Recorder:
    def __init__(self, path: Path):
        self.path = path

    def __call__(self, **event) -> None:
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"t": time.time(), **event}) + "\n")
            handle.flush()


def rect(widget: tk.Widget) -> dict:
    return {"x": widget.winfo_rootx(), "y": widget.winfo_rooty(), "width": widget.winfo_width(),
            "height": widget.winfo_height()}


def build(root: tk.Tk, record: Recorder) -> dict[str, tk.Widget]:
    root.overrideredirect(True)
    root.geometry("{width}x{height}+{x}+{y}".format(**FORM))
    root.configure(bg="#e8eef8")
    tk.Label(root, text="Sign-up form", bg="#e8eef8", font=("Helvetica", 20, "bold")).place(x=20, y=15)
    tk.Label(root, text="Name", bg="#e8eef8", font=("Helvetica", 14)).place(x=20, y=80)
    name = tk.StringVar()
    entry = tk.Entry(root, textvariable=name, font=("Helvetica", 14), width=30)
    entry.place(x=120, y=78)
    name.trace_add("write", lambda *_: record(event="entry", text=name.get()))
    submit = tk.Button(root, text="Submit", font=("Helvetica", 14),
                       command=lambda: record(event="submit", text=name.get()))
    submit.place(x=120, y=160, width=160, height=50)

    terminal_window = tk.Toplevel(root)
    terminal_window.overrideredirect(True)
    terminal_window.geometry("{width}x{height}+{x}+{y}".format(**TERMINAL))
    terminal_window.configure(bg="black")
    tk.Label(terminal_window, text="Terminal — bash", bg="#333", fg="white", font=("Helvetica", 12)).pack(fill="x")
    terminal = tk.Text(terminal_window, bg="black", fg="#0f0", insertbackground="#0f0", font=("Courier", 14))
    terminal.pack(fill="both", expand=True)
    terminal.insert("end", "$ ")
    terminal.bind("<Key>", lambda e: record(event="terminal_key", char=e.char, keysym=e.keysym))
    terminal.bind("<Button-1>", lambda e: record(event="terminal_click"))
    return {"entry": entry, "submit": submit, "terminal": terminal}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ready", required=True, type=Path)
    parser.add_argument("--events", required=True, type=Path)
    args = parser.parse_args()
    root = tk.Tk()
    widgets = build(root, Recorder(args.events))

    def announce() -> None:
        root.update_idletasks()
        rects = {name: rect(widget) for name, widget in widgets.items()}
        if any(r["width"] <= 1 for r in rects.values()):
            root.after(50, announce)
            return
        tmp = args.ready.with_suffix(".tmp")
        tmp.write_text(json.dumps(rects))
        os.replace(tmp, args.ready)

    root.after(200, announce)
    root.mainloop()


@dataclass
class RunningForm:
    process: subprocess.Popen
    rects: dict
    events_path: Path

    def events(self) -> list[dict]:
        if not self.events_path.exists():
            return []
        return [json.loads(line) for line in self.events_path.read_text("utf-8").splitlines() if line.strip()]

    def centre(self, name: str) -> tuple[int, int]:
        r = self.rects[name]
        return r["x"] + r["width"] // 2, r["y"] + r["height"] // 2

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


def start(display: str, folder: Path, timeout: float = 20.0) -> RunningForm:
    """Run the app on `display` in its own process; returns once both windows are on screen."""
    ready, events = folder / "ready.json", folder / "events.jsonl"
    ready.unlink(missing_ok=True)
    events.unlink(missing_ok=True)
    process = subprocess.Popen([sys.executable, "-m", "tests.fakes.tk_form_app", "--ready", str(ready),
                                "--events", str(events)], env={**os.environ, "DISPLAY": display},
                               cwd=Path(__file__).resolve().parents[2], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    deadline = time.monotonic() + timeout
    while not ready.exists():
        if process.poll() is not None:
            raise RuntimeError(f"tk_form_app exited: {process.stderr.read().decode(errors='replace')}")
        if time.monotonic() > deadline:
            process.kill()
            raise TimeoutError("tk_form_app did not show its windows")
        time.sleep(0.05)
    time.sleep(0.3)  # let the first frame be painted before anything captures it
    return RunningForm(process, json.loads(ready.read_text()), events)


if __name__ == "__main__":
    main()
