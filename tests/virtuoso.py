"""A real OpenLink Virtuoso (Debian's ``virtuoso-opensource``) on loopback for the tests: its own folder, its own
ports, started once per session and stopped after; tests that need it skip with the reason when it cannot start."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
O_DIRECT = 0
CaseMode = 2
MaxStaticCursorRows = 5000
CheckpointAuditTrail = 0
AllowOSCalls = 0
SchedulerInterval = 10
DirsAllowed = ., {dir}
ThreadCleanupInterval = 0
ThreadThreshold = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize = 100000
SingleCPU = 0
PrefixResultNames = 0
RdfFreeTextRulesSize = 100
IndexTreeMaps = 64
MaxQueryMem = 200M
VectorSize = 1000
MaxVectorSize = 1000000
AdjustVectorSize = 0
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 4
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}/vsp
MaxClientConnections = 10
DavRoot = DAV
EnabledDavVSP = 0
HTTPProxyEnabled = 0
TempASPXDir = 0
ServerThreads = 10
MaxKeepAlives = 10
KeepAliveTimeout = 10
HTTPThreadSize = 280000
HttpPrintWarningsInOutput = 0
Charset = UTF-8
EnabledGzipContent = 0

[Client]
SQL_PREFETCH_ROWS = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT = 0
SQL_TXN_TIMEOUT = 0

[SPARQL]
ResultSetMaxRows = 10000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = 60
DeferInferenceRulesInit = 0
"""

SETUP = """GRANT SPARQL_UPDATE TO "SPARQL";
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def virtuoso_binary() -> str | None:
    return shutil.which("virtuoso-t")


class VirtuosoServer:
    """``virtuoso-t`` in the foreground on 127.0.0.1 (SPARQL at ``.url``), with update rights for the SPARQL user."""

    def __init__(self, directory: Path) -> None:
        binary, isql = virtuoso_binary(), shutil.which("isql-vt")
        if not binary or not isql:
            raise FileNotFoundError("virtuoso-t / isql-vt are not installed "
                                    "(apt-get install virtuoso-opensource; .ci/run installs it)")
        self.dir = directory
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / "vsp").mkdir(exist_ok=True)
        self.sql_port, self.http_port = free_port(), free_port()
        (self.dir / "virtuoso.ini").write_text(INI.format(dir=self.dir, sql_port=self.sql_port,
                                                          http_port=self.http_port))
        self.binary, self.isql = binary, isql
        self.url = f"http://127.0.0.1:{self.http_port}/sparql"
        self.start()
        self.sql(SETUP)
        self.system_graphs = set(self.graphs())

    def graphs(self) -> list[str]:
        """Every graph holding a quad, the store's own included (Virtuoso ships five)."""
        from kg.remote_store import RemoteStore

        rows = RemoteStore(self.url, union_param="").query(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", union_default_graph=False)
        return sorted(r["g"].value for r in rows)  # type: ignore[union-attr,index]

    def clear(self) -> None:
        """Drop every graph but Virtuoso's own (``DROP ALL`` would drop those too)."""
        from kg.remote_store import RemoteStore

        store = RemoteStore(self.url, union_param="")
        for g in self.graphs():
            if g not in self.system_graphs:
                store.update(f"DROP SILENT GRAPH <{g}>")

    def store(self, **options: object):  # type: ignore[no-untyped-def]
        """A RemoteStore of this server, configured as docs/stores.md says (no union parameter)."""
        from kg.remote_store import RemoteStore

        return RemoteStore(self.url, union_param="", **options)  # type: ignore[arg-type]

    def start(self, timeout: float = 120) -> None:
        self.proc = subprocess.Popen([self.binary, "+foreground", "+configfile", str(self.dir / "virtuoso.ini")],
                                     cwd=self.dir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        probe = self.url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
        while True:
            try:
                urllib.request.urlopen(probe, timeout=2).read()
                return
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    log = (self.dir / "virtuoso.log").read_text(errors="replace")[-2000:] \
                        if (self.dir / "virtuoso.log").exists() else ""
                    self.proc.kill()
                    raise RuntimeError(f"virtuoso-t did not start: {log}") from None
                time.sleep(0.2)

    def sql(self, statements: str) -> str:
        done = subprocess.run([self.isql, f"127.0.0.1:{self.sql_port}", "dba", "dba"], input=statements,
                              capture_output=True, text=True, timeout=120)
        if done.returncode != 0 or "*** Error" in done.stdout:
            raise RuntimeError(f"isql failed: {done.stdout}{done.stderr}")
        return done.stdout

    def kill(self) -> None:
        """kill -9: no checkpoint, no clean shutdown (the transaction log is replayed at the next start)."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(30)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    """One real Virtuoso on loopback for the whole session (about 20 s to create its database)."""
    try:
        server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso"))
    except (FileNotFoundError, RuntimeError) as e:
        pytest.skip(f"Virtuoso cannot run here: {e}")
    yield server
    server.stop()
