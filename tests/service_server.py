"""A real `converter serve` on 127.0.0.1 for the service tests: a free port,
settings through the environment, wait for /healthz, stop at the end.  Its
stderr (the JSON log) is kept in a file the tests can read."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = (REPO / "examples" / "lecture.txt").read_bytes()


def long_lines(count: int) -> bytes:
    """A text of ``count`` short numbered sentences, a line each: a long
    document whose conversion holds a worker for seconds."""
    return "\n".join(f"这是第{i}句话，说完了。" for i in range(count)).encode()


def running_in_session(session: int) -> list[str]:
    """The pids still running in a process session.  Exited processes that
    wait, as zombies, for init to reap them are left out: this container's
    init does not reap them, a real one does."""
    ps = subprocess.run(["ps", "-o", "pid=,stat=", "-s", str(session)], capture_output=True, text=True).stdout
    return [line.split()[0] for line in ps.splitlines() if line.split() and not line.split()[1].startswith("Z")]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, workdir: Path, healthy: bool = True, **settings: object) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / f"server-{self.port}.log"
        env = {**os.environ, "PYTHONPATH": str(REPO), "CONVERTER_PORT": str(self.port),
               "CONVERTER_HOST": "127.0.0.1"}
        for key, value in settings.items():
            env[f"CONVERTER_{key.upper()}"] = str(value)
        self._log = self.log_path.open("wb")
        self.proc = subprocess.Popen([sys.executable, "-m", "converter", "serve"], env=env,
                                     stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)
        self.wait(healthy)

    def wait(self, healthy: bool, timeout: float = 60.0) -> None:
        """Until /healthz answers (200 when ``healthy``, else any status)."""
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited ({self.proc.returncode}):\n{self.log()}")
            try:
                r = httpx.get(f"{self.url}/healthz", timeout=15)
                if r.status_code == 200 or not healthy:
                    return
                last = r.text
            except httpx.HTTPError as err:
                last = repr(err)
            time.sleep(0.05)
        log = self.log()  # before stop() closes it
        self.stop()
        raise RuntimeError(f"the server did not become ready: {last}\n{log}")

    def client(self, **kwargs: object) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=kwargs.pop("timeout", 60), **kwargs)  # type: ignore[arg-type]

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text("utf-8", errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # a graceful stop: jobs' files are removed
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        try:  # anything the server started and left behind (its session is its own)
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self._log.close()
