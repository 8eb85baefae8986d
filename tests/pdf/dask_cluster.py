"""A real Dask cluster for one test: a scheduler and workers on 127.0.0.1, stopped by their process ids.

Each process is started with the project's own virtualenv (`dask scheduler`,
`dask worker`), on free ports, in a session of its own; every wait is
bounded, and stop() ends whatever is still running, however the test ends.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.validators import require

STARTUP_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def dask_or_skip() -> Path:
    """The `dask` command of this virtualenv (the 'distributed' extra)."""
    command = Path(sys.executable).parent / "dask"
    try:
        import distributed  # noqa: F401
    except ImportError:
        require(["distributed"], "pip install -e '.[distributed]'; setup.sh installs it")
    if not command.exists():
        require(["the dask command"], "pip install -e '.[distributed]'")
    return command


class Cluster:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.dask = dask_or_skip()
        self.address = f"tcp://127.0.0.1:{free_port()}"
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _start(self, name: str, args: list[str], env: dict[str, str] | None = None) -> None:
        log = (self.folder / f"{name}.log").open("wb")
        self.processes[name] = subprocess.Popen(
            [str(self.dask), *args],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=self.folder,
            # Whatever a process leaves in the temporary folder goes with the test's own folder.
            env={**os.environ, "TMPDIR": str(self.folder), **(env or {})},
            start_new_session=True,
        )
        log.close()

    def start_scheduler(self) -> None:
        port = self.address.rsplit(":", 1)[1]
        self._start("scheduler", ["scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"])

    def start_worker(self, name: str, env: dict[str, str] | None = None) -> None:
        args = ["worker", self.address, "--name", name, "--nthreads", "1", "--no-nanny", "--no-dashboard"]
        args += ["--host", "127.0.0.1", "--local-directory", str(self.folder / name)]
        self._start(name, args, env)

    def wait_for_workers(self, count: int) -> None:
        from distributed import Client

        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                with Client(self.address, timeout="5s", set_as_default=False) as client:
                    client.wait_for_workers(count, timeout=max(1.0, deadline - time.monotonic()))
                    return
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the cluster did not start: {self.logs()}") from None
                time.sleep(0.5)

    def worker_addresses(self) -> dict[str, str]:
        """Worker name -> its address, as the scheduler knows them."""
        from distributed import Client

        with Client(self.address, timeout="5s", set_as_default=False) as client:
            workers = client.scheduler_info(n_workers=-1)["workers"]
        return {info["name"]: address for address, info in workers.items()}

    def kill(self, name: str) -> None:
        process = self.processes[name]
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                with _ignored_if_gone():
                    os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                with _ignored_if_gone():
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)

    def logs(self) -> str:
        return "\n".join(path.read_text(errors="replace")[-2000:] for path in sorted(self.folder.glob("*.log")))


class _ignored_if_gone:
    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> bool:
        return kind is not None and issubclass(kind, ProcessLookupError)
