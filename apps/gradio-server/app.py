"""Gradio test/demo server for gradio-hooks.

Runs unchanged on gradio 6.31.0, 5.49.1 and 4.44.1.

    python app.py --port 7860 [--auth user:pass] [--max-queue N]

Once the server is serving it prints exactly one line
``GRADIO_SERVER_READY http://127.0.0.1:PORT`` to stdout.

The api_names below are a contract that other code (tests, benchmarks, the demo)
depends on; see README.md for the exact inputs/outputs of every endpoint.
"""

from __future__ import annotations

import argparse
import copy
import inspect
import os
import sys
import time
from typing import Optional

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402

GRADIO_VERSION = gr.__version__
GRADIO_MAJOR = int(GRADIO_VERSION.split(".")[0])

# launch(max_file_size=): /upload refuses larger files (HTTP 413); /config says the limit in bytes.
MAX_FILE_SIZE = "10mb"

_ERROR_PARAMS = inspect.signature(gr.Error.__init__).parameters


def _error(message: str, title: str) -> Exception:
    """gr.Error with a title (gradio >= 5.3), shown until closed (duration=None) and not by the
    app's own page (visible=False): values that differ from the defaults, for the clients to report."""
    extra = {k: v for k, v in {"title": title, "duration": None, "visible": False}.items() if k in _ERROR_PARAMS}
    return gr.Error(message, **extra)


def _private() -> dict:
    """Event kwargs for an endpoint that is neither callable by name nor listed."""
    if GRADIO_MAJOR >= 6:
        return {"api_visibility": "private"}
    return {"api_name": False}


def _png_format() -> dict:
    """`format="png"` for gr.Image, on releases that have the option (older 4.x save PNG anyway)."""
    return {"format": "png"} if "format" in inspect.signature(gr.Image.__init__).parameters else {}


def _undocumented(api_name: str) -> dict:
    """Event kwargs for a named endpoint hidden from /info (unless all_endpoints)."""
    if GRADIO_MAJOR >= 6:
        return {"api_name": api_name, "api_visibility": "undocumented"}
    return {"api_name": api_name, "show_api": False}


# --------------------------------------------------------------------------------------
# Endpoint functions (pure Python, importable for reasoning about expected results)
# --------------------------------------------------------------------------------------


def calculate(a: float, b: float = 1, operation: str = "add") -> float:
    if operation == "add":
        return a + b
    if operation == "subtract":
        return a - b
    if operation == "multiply":
        return a * b
    if operation == "divide":
        if b == 0:
            raise _error("Cannot divide by zero", title="Math error")
        return a / b
    raise _error(f"Unknown operation: {operation}", title="Math error")


def count(n: int = 5, delay: float = 0.05):
    """Yields 1, 2, ..., n with `delay` seconds between yields."""
    n = int(n)
    for i in range(1, n + 1):
        if i > 1 and delay:
            time.sleep(float(delay))
        yield i


def stream_text_sequence(prompt: str, n_tokens: int = 20) -> list[str]:
    """The exact values yielded by stream_text."""
    out = []
    text = prompt or ""
    for k in range(1, int(n_tokens) + 1):
        text = f"{text} tok{k}"
        out.append(text)
    return out


def stream_text(prompt: str, n_tokens: int = 20, delay: float = 0.05):
    """Yields prompt + " tok1", prompt + " tok1 tok2", ... (n_tokens yields)."""
    for i, value in enumerate(stream_text_sequence(prompt, n_tokens)):
        if i > 0 and delay:
            time.sleep(float(delay))
        yield value


# Six frames whose shape changes from one to the next, so that the server's diff
# contains "add", "delete", "replace" and "append" operations (see README.md).
# Lists also lose several items at once, and a list inside a list loses items in both:
# the indices of those deletes differ between releases (old positions up to 5.29.0,
# shifted from 5.36, twice for nested lists), which only a client that shortens lists
# from their end applies right on every release. A key "__proto__" comes and goes in
# `nested`: added by `obj[key] = value`, JavaScript would set the object's prototype instead.
_SHAPE_FRAMES = [
    {"status": "start", "items": [0], "nested": {"a": 1}},
    {"status": "running", "items": [0, 1, 2, 3], "nested": {"a": 1, "b": {"c": "x"}}, "grid": [[1, 2], [3, 4]]},
    {"status": "running", "items": [0, 1], "nested": {"b": {"c": "xy"}, "__proto__": {"n": 1}}, "extra": True, "grid": [[1], [3]]},
    {"status": 3, "items": [7, 1], "nested": {"b": {"c": "xy", "d": [0]}, "__proto__": {"n": 2}}, "extra": True, "grid": [[1, 5, 6], [3]]},
    {"status": 4, "items": [7], "nested": {"b": {}}, "grid": [[1]]},
    {"status": "done", "items": [7, "x"], "nested": {"a": "back"}, "result": {"ok": True}},
]


def shape_shift_sequence(steps: int = 6) -> list[dict]:
    """The exact values yielded by shape_shift: frame i is
    {"step": i, **_SHAPE_FRAMES[i % 6]} for i in 0..steps-1."""
    out = []
    for i in range(int(steps)):
        frame = {"step": i}
        frame.update(copy.deepcopy(_SHAPE_FRAMES[i % len(_SHAPE_FRAMES)]))
        out.append(frame)
    return out


def shape_shift(steps: int = 6):
    for i, value in enumerate(shape_shift_sequence(steps)):
        if i > 0:
            time.sleep(0.05)
        yield value


def slow(label: str, seconds: float = 1.0, progress=gr.Progress()):
    seconds = float(seconds)
    for i in range(10):
        progress((i + 1) / 10, desc=f"step {i + 1}")
        time.sleep(seconds / 10)
    return f"done {label}"


def logs(message: str = "hello") -> str:
    gr.Info(f"info: {message}")
    gr.Warning(f"warning: {message}")
    time.sleep(0.2)
    return message


def fail(message: str = "boom") -> str:
    raise _error(message, title="Custom failure")


def increment(step: int = 1, state: int = 0):
    value = (state or 0) + step
    return value, value


def image_transform(image):
    from PIL import ImageOps

    if image is None:
        return None
    return ImageOps.mirror(image.convert("L"))


def echo_file(file):
    return file


def file_name(file) -> str:
    """The name the file arrived with (an app that takes only text and audio files)."""
    return os.path.basename(file)


def echo(text: str = "") -> str:
    return text


def echo_now(text: str = "", seconds: float = 0) -> str:
    time.sleep(seconds)
    return text


def many(n: int = 5000):
    """Yields 1, 2, ..., n as fast as possible."""
    for i in range(1, int(n) + 1):
        yield i


# gr.Chatbot takes messages ({"role", "content"}) on 6.x and, with type="messages", on 4.44+/5.x;
# older releases take only [user, assistant] pairs.
_CHATBOT_TYPE = "type" in inspect.signature(gr.Chatbot.__init__).parameters
_CHAT_MESSAGES = GRADIO_MAJOR >= 6 or _CHATBOT_TYPE


def chat_stream(history: int = 200, tokens: int = 300):
    """A reply streamed token by token after `history` earlier messages, as a chat model streams
    into a gr.Chatbot: every yield is the whole conversation, so the server's diff of a yield is
    one append to the reply while the earlier messages stay as they were (streaming benchmark)."""
    turns = [(f"question {i}: " + "lorem ipsum " * 10, f"answer {i}: " + "dolor sit amet " * 20) for i in range(int(history) // 2)]
    reply = ""
    for t in range(int(tokens)):
        reply += f"token{t} "
        if _CHAT_MESSAGES:
            earlier = [{"role": r, "content": c} for q, a in turns for r, c in (("user", q), ("assistant", a))]
            yield earlier + [{"role": "user", "content": "final question"}, {"role": "assistant", "content": reply}]
        else:
            yield [[q, a] for q, a in turns] + [["final question", reply]]


def tone_stream(n: int = 3):
    """Yields `n` chunks of 0.25 s of a 16 kHz sine (440 Hz, then +110 Hz per chunk) to a
    streaming Audio output: Gradio >= 5 serves them as an HLS playlist (encoded with ffmpeg)."""
    import numpy as np

    rate = 16000
    t = np.arange(rate // 4) / rate
    for i in range(int(n)):
        yield rate, (np.sin(2 * np.pi * (440 + 110 * i) * t) * 8000).astype(np.int16)


def listen(chunk, total: int):
    """A streamed-input event: counts the audio samples received so far in this call's session."""
    samples = 0 if chunk is None else len(chunk[1])
    total = (total or 0) + samples
    return f"{total} samples", total


def request_header(name: str, request: gr.Request) -> str:
    """The value of the request header `name` as the app's function sees it ("" when absent)."""
    return request.headers.get(name, "")


# Sessions whose end the server has seen (its unload event runs when their heartbeat drops).
_UNLOADED: set[str] = set()


def _on_unload(request: gr.Request) -> None:
    _UNLOADED.add(request.session_hash)


def unloaded(session_hash: str) -> bool:
    """Whether the session `session_hash` has ended (the app's unload event ran for it)."""
    return session_hash in _UNLOADED


def oauth_echo(text: str, token: Optional[gr.OAuthToken]) -> str:
    """Says whether the caller's Hugging Face token reached the app (its last 4 characters)."""
    # Gradio >= 6.21 takes the token from an API call's `oauth_token` and declares this
    # endpoint as wanting one in /info; 5.45 to 6.20 never pass one to the app; 4.x and 5.x before
    # 5.45 fail the call (their session middleware comes only with a gr.LoginButton, which needs
    # an HF login).
    return f"{text}: no token" if token is None else f"{text}: token ...{token.token[-4:]}"


def pressed(button: str, text: str) -> str:
    """The value of the button that triggered the event (the browser sends its label), and the text."""
    return f"{button}|{text}"


def shout(word: list[str], seconds: list[float]) -> list[list[str]]:
    """A batch function (batch=True): Gradio gives it the inputs of several calls at once, a list each."""
    time.sleep(max(float(x) for x in seconds))
    return [[w.upper() + "!" for w in word]]


def secret_private(x: str) -> str:
    return f"secret {x}"


def hidden_docs(x: str) -> str:
    return (x or "").upper()


def _plain_json_output(component):
    """Make a gr.JSON output postprocess to a plain dict/list instead of JsonData.

    Stock gr.JSON returns a pydantic ``JsonData`` RootModel, which (unlike GradioModel /
    GradioRootModel values) is not model_dump()-ed before gradio computes generator
    diffs, so gradio's diff() sees an opaque object and always sends a single
    ``["replace", [], value]``. Returning the plain value lets the server emit real
    nested add/delete/replace diffs for shape_shift. The wire value is identical.
    """
    original = component.postprocess

    def postprocess(value):
        out = original(value)
        return getattr(out, "root", out)

    component.postprocess = postprocess
    return component


# --------------------------------------------------------------------------------------
# UI
# --------------------------------------------------------------------------------------


def build_demo(max_queue: int | None = None) -> gr.Blocks:
    with gr.Blocks(analytics_enabled=False, title="gradio-hooks test server") as demo:
        gr.Markdown(f"# gradio-hooks test server (gradio {GRADIO_VERSION})")

        with gr.Tab("calculate"):
            with gr.Row():
                a = gr.Number(label="a")
                b = gr.Number(label="b", value=1)
                op = gr.Radio(["add", "subtract", "multiply", "divide"], value="add", label="operation")
            result = gr.Number(label="result")
            gr.Button("Calculate").click(calculate, [a, b, op], result, api_name="calculate")

        with gr.Tab("streaming"):
            with gr.Row():
                n = gr.Number(label="n", value=5, precision=0)
                delay = gr.Number(label="delay", value=0.05)
                count_out = gr.Number(label="count")
                gr.Button("Count").click(count, [n, delay], count_out, api_name="count")
            with gr.Row():
                prompt = gr.Textbox(label="prompt", value="Once upon a time")
                n_tokens = gr.Number(label="n_tokens", value=20, precision=0)
                tdelay = gr.Number(label="delay", value=0.05)
            text_out = gr.Textbox(label="text")
            gr.Button("Stream text").click(
                stream_text, [prompt, n_tokens, tdelay], text_out, api_name="stream_text"
            )
            with gr.Row():
                steps = gr.Number(label="steps", value=6, precision=0)
                json_out = _plain_json_output(gr.JSON(label="shape"))
                gr.Button("Shape shift").click(shape_shift, steps, json_out, api_name="shape_shift")
            with gr.Row():
                many_n = gr.Number(label="n", value=5000, precision=0)
                many_out = gr.Number(label="last item")
                gr.Button("Many").click(many, many_n, many_out, api_name="many")
            with gr.Row():
                chat_history = gr.Number(label="earlier messages", value=200, precision=0)
                chat_tokens = gr.Number(label="tokens", value=300, precision=0)
                chat_out = gr.Chatbot(label="chat", type="messages") if GRADIO_MAJOR < 6 and _CHATBOT_TYPE else gr.Chatbot(label="chat")
                gr.Button("Chat stream").click(chat_stream, [chat_history, chat_tokens], chat_out, api_name="chat_stream")

        with gr.Tab("queue & progress"):
            with gr.Row():
                slow_label = gr.Textbox(label="label", value="job")
                slow_seconds = gr.Number(label="seconds", value=1.0)
                slow_out = gr.Textbox(label="output")
            gr.Button("Slow (concurrency 1)").click(
                slow, [slow_label, slow_seconds], slow_out, api_name="slow", concurrency_limit=1
            )

        with gr.Tab("logs & errors"):
            with gr.Row():
                log_msg = gr.Textbox(label="message", value="hello")
                log_out = gr.Textbox(label="output")
                gr.Button("Logs").click(logs, log_msg, log_out, api_name="logs")
            with gr.Row():
                fail_msg = gr.Textbox(label="message", value="boom")
                fail_out = gr.Textbox(label="output")
                gr.Button("Fail").click(fail, fail_msg, fail_out, api_name="fail")

        with gr.Tab("state"):
            with gr.Row():
                step = gr.Number(label="step", value=1, precision=0)
                counter = gr.Number(label="count")
                state = gr.State(0)
            gr.Button("Increment").click(
                increment, [step, state], [counter, state], api_name="increment"
            )

        with gr.Tab("files"):
            with gr.Row():
                img_in = gr.Image(type="pil", label="image")
                img_out = gr.Image(type="pil", label="grayscale + flipped", **_png_format())
            gr.Button("Transform image").click(
                image_transform, img_in, img_out, api_name="image_transform"
            )
            with gr.Row():
                file_in = gr.File(type="filepath", label="file")
                file_out = gr.File(label="same file")
            gr.Button("Echo file").click(echo_file, file_in, file_out, api_name="echo_file")
            with gr.Row():
                # Gradio >= 5 refuses a file whose name says another type (file_types)
                fn_in = gr.File(type="filepath", label="text or audio file", file_types=["text", "audio"])
                fn_out = gr.Textbox(label="name")
            gr.Button("File name").click(file_name, fn_in, fn_out, api_name="file_name")

            with gr.Row():
                ts_n = gr.Number(3, precision=0, label="chunks")
                ts_out = gr.Audio(streaming=True, label="tone (streamed)")
            gr.Button("Stream a tone").click(tone_stream, ts_n, ts_out, api_name="tone_stream")

            with gr.Row():
                mic = gr.Audio(sources=["microphone"], streaming=True, type="numpy", label="microphone")
                heard = gr.Textbox(label="samples heard")
                heard_total = gr.State(0)
            # Gradio >= 5: connection "stream" (the client keeps sending input to one event)
            streamed = {"stream_every": 0.5, "time_limit": 30} if GRADIO_MAJOR >= 5 else {}
            mic.stream(listen, [mic, heard_total], [heard, heard_total], api_name="listen", **streamed)

        with gr.Tab("misc"):
            with gr.Row():
                echo_in = gr.Textbox(label="text")
                echo_out = gr.Textbox(label="echo")
                gr.Button("Echo").click(echo, echo_in, echo_out, api_name="echo")
            with gr.Row():
                # queue=False: called with one POST to /run/predict, outside the queue
                now_in = gr.Textbox(label="text")
                now_out = gr.Textbox(label="echo_now / fail_now (no queue)")
                now_seconds = gr.Number(0, label="seconds")
                gr.Button("Echo now").click(echo_now, [now_in, now_seconds], now_out, api_name="echo_now", queue=False)
                gr.Button("Fail now").click(fail, now_in, now_out, api_name="fail_now", queue=False)
                # an api_name that a URL path cannot hold
                gr.Button("Echo now (slash)").click(echo_now, [now_in, now_seconds], now_out, api_name="now/echo", queue=False)
                # no Python function: the browser runs the js, the server has nothing to call
                gr.Button("Browser only").click(None, now_in, now_out, js="(x) => x", api_name="browser_only")
            with gr.Row():
                oa_in = gr.Textbox(label="text")
                oa_out = gr.Textbox(label="oauth_echo")
                gr.Button("OAuth echo").click(oauth_echo, oa_in, oa_out, api_name="oauth_echo")
            with gr.Row():
                rh_in = gr.Textbox(label="header name")
                rh_out = gr.Textbox(label="its value")
                gr.Button("Request header").click(request_header, rh_in, rh_out, api_name="request_header")
            with gr.Row():
                un_in = gr.Textbox(label="session hash")
                un_out = gr.Checkbox(label="unloaded")
                gr.Button("Unloaded?").click(unloaded, un_in, un_out, api_name="unloaded")
            if hasattr(demo, "unload"):  # Gradio >= 4.2x: runs when a session's heartbeat drops
                demo.unload(_on_unload)
            with gr.Row():
                # a button as an input (skip_api: the API leaves it out; the browser sends its label),
                # and, on Gradio >= 5, an output label the browser translates (gr.I18n)
                pr_button = gr.Button("Press me")
                pr_in = gr.Textbox(label="text")
                pr_label = gr.I18n(en={"pressed": "Pressed"})("pressed") if hasattr(gr, "I18n") else "pressed"
                pr_out = gr.Textbox(label=pr_label)
                pr_button.click(pressed, [pr_button, pr_in], pr_out, api_name="pressed")
            with gr.Row():
                # a batch function: Gradio runs the calls it has queued together, up to 4
                sh_in = gr.Textbox(label="word")
                sh_s = gr.Number(label="seconds", value=0.5)
                sh_out = gr.Textbox(label="shouted")
                gr.Button("Shout").click(shout, [sh_in, sh_s], sh_out, api_name="shout", batch=True, max_batch_size=4)
            with gr.Row():
                sp_in = gr.Textbox(label="x")
                sp_out = gr.Textbox(label="secret_private (private endpoint)")
                gr.Button("Private").click(secret_private, sp_in, sp_out, **_private())
            with gr.Row():
                hd_in = gr.Textbox(label="x")
                hd_out = gr.Textbox(label="hidden_docs (undocumented endpoint)")
                gr.Button("Undocumented").click(
                    hidden_docs, hd_in, hd_out, **_undocumented("hidden_docs")
                )

    if hasattr(demo, "route"):
        # Gradio >= 5.15: a second page (multipage app); its URL, /second, has no /config of its own
        with demo.route("Second page", "/second"):
            gr.Markdown("The second page of this app.")

    demo.queue(default_concurrency_limit=None, max_size=max_queue)
    return demo


def _launch_kwargs(port: int, auth, ssr: bool = False) -> dict:
    params = inspect.signature(gr.Blocks.launch).parameters
    kwargs = {
        "server_name": "127.0.0.1",
        "server_port": port,
        "inbrowser": False,
        "share": False,
        "prevent_thread_lock": True,
        "auth": auth,
        "max_file_size": MAX_FILE_SIZE,
    }
    if "ssr_mode" in params:
        # server-side rendering, as Spaces run it: on Gradio 6, a Node server in front of Python
        # takes every request; on 5, Python stays in front and passes pages to Node
        kwargs["ssr_mode"] = ssr
    return {k: v for k, v in kwargs.items() if k in params}


def _watch_parent() -> None:
    """Exit when the launching process (server.mjs) dies, even if it was SIGKILLed."""
    parent = os.environ.get("GRADIO_SERVER_PARENT_PID")
    if not parent or not parent.isdigit() or os.getppid() != int(parent):
        return
    import threading

    def watch():
        while True:
            time.sleep(1.0)
            if os.getppid() != int(parent):
                os._exit(0)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--auth", default=None, help="user:pass")
    parser.add_argument("--max-queue", type=int, default=None)
    parser.add_argument("--ssr", action="store_true", help="server-side rendering (Gradio >= 5)")
    args = parser.parse_args(argv)

    if args.port <= 0:
        parser.error("--port must be a positive port number (gradio does not support port 0)")
    auth = None
    if args.auth:
        if ":" not in args.auth:
            parser.error("--auth must be user:pass")
        user, password = args.auth.split(":", 1)
        auth = (user, password)

    _watch_parent()
    demo = build_demo(args.max_queue)
    demo.launch(**_launch_kwargs(args.port, auth, args.ssr))
    print(f"GRADIO_SERVER_READY http://127.0.0.1:{args.port}", flush=True)
    try:
        demo.block_thread()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main(sys.argv[1:])
