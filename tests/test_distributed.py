"""Conversions on Celery workers over a real Redis, with real `converter
worker` processes (prefork pool): results, redelivery after kill -9, time
limits, bad input."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pypdf
import pytest
from service_server import running_in_session

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = (REPO / "examples" / "lecture.txt").read_text("utf-8")

pytestmark = [pytest.mark.slow, pytest.mark.redis, pytest.mark.skipif(shutil.which("redis-server") is None,
                                reason="needs redis-server (apt-get install redis-server)")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), **extra}


@pytest.fixture(scope="module")
def redis_url():
    port = free_port()
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no"], stdout=subprocess.DEVNULL)
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait(timeout=10)


class Worker:
    def __init__(self, url: str, store: Path, log: Path, **settings: str) -> None:
        self.log = log
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "converter", "worker", "--broker", url, "--concurrency", "1",
             "--results-dir", str(store)],
            env=env(**settings), stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.time() + 30
        while time.time() < deadline and b"ready" not in log.read_bytes():
            time.sleep(0.05)
        assert b"ready" in log.read_bytes(), log.read_text(errors="replace")

    def pool_processes(self) -> list[int]:
        try:
            return [int(p) for p in Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()]
        except OSError:
            return []

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


@pytest.fixture()
def cluster(redis_url, tmp_path):
    """Two workers sharing one results store; the queue is emptied first."""
    subprocess.run(["redis-cli", "-u", redis_url, "flushall"], capture_output=True)
    store = tmp_path / "store"
    workers: list[Worker] = []

    def start(**settings: str) -> Worker:
        worker = Worker(redis_url, store, tmp_path / f"worker{len(workers)}.log", **settings)
        workers.append(worker)
        return worker

    yield redis_url, store, start
    for worker in workers:
        worker.stop()


def start_batch(inputs: Path, out: Path, url: str, store: Path, to: str, **settings: str) -> subprocess.Popen:
    """`converter batch` through the broker, in the background."""
    return subprocess.Popen([sys.executable, "-m", "converter", "batch", str(inputs), "-o", str(out), "--to", to,
                             "--broker", url, "--results-dir", str(store), "-q"],
                            env=env(**settings), stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def wait_received(worker: Worker, timeout: float = 60) -> None:
    """Until ``worker`` has taken a task from the queue."""
    deadline = time.time() + timeout
    while time.time() < deadline and b"received" not in worker.log.read_bytes():
        time.sleep(0.05)


def lectures(folder: Path, count: int, *, long: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        body = EXAMPLE.replace("同志们:", f"同志们:这是第{n + 1}份材料。")
        if long:
            body += "\n".join([body.splitlines()[-1]] * 12)
        (folder / f"lecture-{n + 1:02d}.txt").write_text(body, encoding="utf-8")
    return folder


def batch(*args: str, **settings: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "converter", "batch", *args, "-q"], capture_output=True,
                          env=env(**settings), timeout=600)


def manifest(out: Path) -> dict[str, dict]:
    return {d["input"]: d for d in json.loads((out / "manifest.json").read_text("utf-8"))["documents"]}


def pdf_text(path: Path) -> tuple[int, str]:
    reader = pypdf.PdfReader(path)
    return len(reader.pages), "".join(p.extract_text() for p in reader.pages)


def docx_text(path: Path) -> list[str]:
    import docx

    return [p.text for p in docx.Document(str(path)).paragraphs]


def test_twenty_documents_through_two_workers_match_the_local_pool(cluster, tmp_path):
    url, store, start = cluster
    workers = [start(), start()]
    inputs = lectures(tmp_path / "in", 20)
    r = batch(str(inputs), "-o", str(tmp_path / "remote"), "--to", "pdf,docx", "--broker", url,
              "--results-dir", str(store))
    assert r.returncode == 0, r.stderr.decode()
    r = batch(str(inputs), "-o", str(tmp_path / "local"), "--to", "pdf,docx", "--jobs", "2")
    assert r.returncode == 0, r.stderr.decode()
    remote, local = manifest(tmp_path / "remote"), manifest(tmp_path / "local")
    assert sorted(remote) == sorted(local) and len(remote) == 20
    for name in remote:
        assert remote[name]["state"] == "done"
        stem = Path(name).with_suffix("")
        assert pdf_text(tmp_path / "remote" / f"{stem}.pdf") == pdf_text(tmp_path / "local" / f"{stem}.pdf")
        assert docx_text(tmp_path / "remote" / f"{stem}.docx") == docx_text(tmp_path / "local" / f"{stem}.docx")
    # Both workers took part.
    for worker in workers:
        assert b"succeeded" in worker.log.read_bytes()


def test_killed_pool_process_task_is_redelivered(cluster, tmp_path):
    url, store, start = cluster
    worker = start()
    inputs = lectures(tmp_path / "in", 3, long=True)
    proc = start_batch(inputs, tmp_path / "out", url, store, "pdf,docx")
    wait_received(worker)
    time.sleep(0.5)  # mid-conversion
    (victim,) = worker.pool_processes()
    os.kill(victim, signal.SIGKILL)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode()
    docs = manifest(tmp_path / "out")
    assert [d["state"] for d in docs.values()] == ["done"] * 3
    assert list(store.rglob("*.part")) == []
    for name in docs:
        pages, text = pdf_text(tmp_path / "out" / Path(name).with_suffix(".pdf"))
        assert pages > 7 and "勇气和深度" in text
    assert b"WorkerLostError" in worker.log.read_bytes() or b"exited with" in worker.log.read_bytes()


def test_killed_worker_tasks_go_to_the_other_worker(cluster, tmp_path):
    url, store, start = cluster
    short = {"CONVERTER_VISIBILITY_TIMEOUT": "6"}
    first = start(**short)
    inputs = lectures(tmp_path / "in", 2, long=True)
    proc = start_batch(inputs, tmp_path / "out", url, store, "pdf", **short)
    wait_received(first)
    os.killpg(first.proc.pid, signal.SIGKILL)  # the whole worker: main process and pool
    first.proc.wait()
    second = start(**short)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode()
    assert [d["state"] for d in manifest(tmp_path / "out").values()] == ["done", "done"]
    assert b"succeeded" in second.log.read_bytes()


def test_sigterm_stops_a_busy_worker_within_its_grace_and_loses_nothing(cluster, tmp_path):
    """SIGTERM to a worker mid-conversion (systemd, docker stop): it gives
    the conversion its grace period, exits with no process left behind, and
    the unfinished task goes back to the queue for the next worker (issue 15
    item 4)."""
    from converter.distributed.app import SHUTDOWN_GRACE

    url, store, start = cluster
    first = start()
    inputs = lectures(tmp_path / "in", 1, long=True)
    proc = start_batch(inputs, tmp_path / "out", url, store, "pdf")
    wait_received(first)
    first.proc.send_signal(signal.SIGTERM)  # the main process only, as docker stop does
    stopped = time.monotonic()
    first.proc.wait(timeout=SHUTDOWN_GRACE + 20)
    assert time.monotonic() - stopped < SHUTDOWN_GRACE + 10
    time.sleep(0.5)
    assert running_in_session(first.proc.pid) == []
    second = start()
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode()
    assert [d["state"] for d in manifest(tmp_path / "out").values()] == ["done"]
    # Finished by the first worker within its grace, or given back and
    # finished by the second: done once, either way.
    assert (b"succeeded" in first.log.read_bytes()) != (b"succeeded" in second.log.read_bytes())


def test_time_limit_fails_clearly_and_the_worker_lives_on(cluster, tmp_path):
    url, store, start = cluster
    worker = start(CONVERTER_TIME_LIMIT="1")
    slow = lectures(tmp_path / "slow", 1, long=True)
    big = (slow / "lecture-01.txt").read_text("utf-8")
    (slow / "lecture-01.txt").write_text(big * 40, encoding="utf-8")  # several seconds of work
    r = batch(str(slow), "-o", str(tmp_path / "out"), "--to", "pdf,docx", "--broker", url,
              "--results-dir", str(store))
    assert r.returncode == 1
    assert "time limit" in r.stderr.decode()
    quick = tmp_path / "quick"
    quick.mkdir()
    (quick / "short.txt").write_text("题目\n同志们：\n今天开会。\n", encoding="utf-8")
    r = batch(str(quick), "-o", str(tmp_path / "out2"), "--to", "pdf", "--broker", url, "--results-dir", str(store))
    assert r.returncode == 0, r.stderr.decode()
    assert worker.proc.poll() is None


def test_bad_input_fails_once_with_the_readers_error(cluster, tmp_path):
    url, store, start = cluster
    worker = start()
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "scan.txt").write_bytes(b"%PDF-1.7 not a lecture")
    r = batch(str(folder), "-o", str(tmp_path / "out"), "--to", "pdf", "--broker", url, "--results-dir", str(store))
    assert r.returncode == 1
    assert "the input is a PDF file" in r.stderr.decode()
    log = worker.log.read_bytes()
    # Received once, failed once with the reader's error, never retried.
    assert log.count(b"received") == 1 and log.count(b"raised unexpected: BadInput") == 1
    assert b"] retry:" not in log


def test_service_jobs_give_the_same_results_with_a_broker(cluster, tmp_path):
    import io
    import zipfile

    from service_server import Server

    url, store, start = cluster
    worker = start()
    files = [("files", ("讲稿.txt", EXAMPLE.encode())), ("files", ("图片.txt", b"\x89PNG\r\n\x1a\nxxxx")),
             ("files", ("第二份.txt", EXAMPLE.replace("同志们:", "同志们:第二份。").encode()))]

    def run_job(server: Server) -> tuple[dict, zipfile.ZipFile]:
        with server.client() as client:
            r = client.post("/v1/jobs", files=files, data={"to": "pdf,docx", "print": "true"})
            assert r.status_code == 202, r.text
            job_id = r.json()["id"]
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                status = client.get(f"/v1/jobs/{job_id}").json()
                if status["state"] in ("done", "failed"):
                    break
                time.sleep(0.05)
            result = client.get(f"/v1/jobs/{job_id}/result")
            assert result.status_code == 200
            return status, zipfile.ZipFile(io.BytesIO(result.content))

    queued = Server(tmp_path, broker_url=url, results_dir=store)
    try:
        remote_status, remote = run_job(queued)
    finally:
        queued.stop()
    local_server = Server(tmp_path)
    try:
        local_status, local = run_job(local_server)
    finally:
        local_server.stop()
    assert [f["state"] for f in remote_status["files"]] == [f["state"] for f in local_status["files"]] \
        == ["done", "failed", "done"]
    assert [f["error"] is None for f in remote_status["files"]] == [True, False, True]
    assert sorted(remote.namelist()) == sorted(local.namelist())
    for name in remote.namelist():
        if name.endswith(".pdf"):
            a, b = (pypdf.PdfReader(io.BytesIO(z.read(name))) for z in (remote, local))
            assert len(a.pages) == len(b.pages)
            assert "".join(p.extract_text() for p in a.pages) == "".join(p.extract_text() for p in b.pages)
    assert worker.log.read_bytes().count(b"succeeded") >= 2  # the queued server's work ran on the worker
