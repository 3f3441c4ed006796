"""One benchmark scenario for Python gradio_client, in its own process.

Input: the BENCH_JOB environment variable (JSON, same shape as for bench/worker.mjs).
Output: one JSON line on stdout. Run with the Gradio server's venv python.
"""
import json
import os
import resource
import statistics
import sys
import threading
import time

job = json.loads(os.environ["BENCH_JOB"])
url = job["url"]
params = job["params"]

# a hard stop, like the Node workers
threading.Timer(params.get("timeoutMs", 120000) / 1000, lambda: (sys.stderr.write("python worker timeout\n"), os._exit(3))).start()

from gradio_client import Client  # noqa: E402  (imported after the timer, imports take a while)


def pct(xs, p):
    s = sorted(xs)
    return s[min(len(s) - 1, int(p / 100 * len(s)))]


def connect():
    return Client(url, verbose=False, download_files=False)


def cold():
    samples = []
    for i in range(params["warmup"] + params["reps"]):
        t0 = time.perf_counter()
        c = connect()
        out = c.predict(f"cold {i}", api_name="/echo")
        ms = (time.perf_counter() - t0) * 1000
        assert out == f"cold {i}", out
        c.close()
        if i >= params["warmup"]:
            samples.append(ms)
    return {"samples": samples, "median": statistics.median(samples)}


def latency():
    c = connect()
    for _ in range(params["warmup"]):
        c.predict("warm", api_name="/echo")
    samples = []
    cpu0 = time.process_time()
    for i in range(params["calls"]):
        t0 = time.perf_counter()
        out = c.predict(f"seq {i}", api_name="/echo")
        samples.append((time.perf_counter() - t0) * 1000)
        assert out == f"seq {i}", out
    cpu_per_call = (time.process_time() - cpu0) * 1000 / params["calls"]
    c.close()
    return {"cpuMsPerCall": cpu_per_call, "p50": pct(samples, 50), "p95": pct(samples, 95), "mean": statistics.fmean(samples)}


def concurrency():
    c = connect()
    for _ in range(params["warmup"]):
        c.predict("warm", api_name="/echo")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    threads_before = threading.active_count()
    t0 = time.perf_counter()
    jobs = [c.submit(f"job {i}", api_name="/echo") for i in range(params["jobs"])]
    outs = [j.result(timeout=params.get("timeoutMs", 120000) / 1000) for j in jobs]
    wall = (time.perf_counter() - t0) * 1000
    bad = sum(1 for i, o in enumerate(outs) if o != f"job {i}")
    assert not bad, f"{bad} wrong results"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux → MiB
    threads_after = threading.active_count()
    c.close()
    return {"wallMs": wall, "peakRssMB": peak, "maxRssMB": peak, "rssBeforeMB": before, "threadsBefore": threads_before, "threadsAfter": threads_after}


def stream():
    c = connect()
    endpoint = params.get("endpoint", "/many")
    args = params.get("args", [params.get("n")])
    warmup_args = params.get("warmupArgs", [params.get("warmupN")])

    def run(run_args, on_item):
        items = 0
        for _ in c.submit(*run_args, api_name=endpoint):
            items += 1
            on_item()
        return items

    run(warmup_args, lambda: None)
    runs = []
    for _ in range(params["reps"]):
        last = [0.0]
        cpu0 = time.process_time()
        t0 = time.perf_counter()
        items = run(args, lambda: last.__setitem__(0, time.perf_counter()))
        cpu_ms = (time.process_time() - cpu0) * 1000
        runs.append({"items": items, "cpuMs": cpu_ms, "cpuUsPerMsg": cpu_ms * 1000 / max(items, 1), "lastItemMs": (last[0] - t0) * 1000, "totalMs": (time.perf_counter() - t0) * 1000})
    c.close()
    med = lambda k: statistics.median(r[k] for r in runs)  # noqa: E731
    return {"runs": runs, "items": med("items"), "cpuUsPerMsg": med("cpuUsPerMsg"), "cpuMs": med("cpuMs"), "lastItemMs": med("lastItemMs")}


try:
    result = {"cold": cold, "latency": latency, "concurrency": concurrency, "stream": stream}[job["scenario"]]()
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
    os._exit(0)
except Exception as e:  # noqa: BLE001
    import traceback

    traceback.print_exc()
    os._exit(2)
