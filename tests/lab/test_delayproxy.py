#!/usr/bin/python3
"""The delay proxy on its own (no root needed): 2,000 connections open at once through it to an
echo server, each echo delayed by at least one round trip per exchange, bytes in order."""

import asyncio
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
CONNECTIONS = 2000
ONE_WAY_MS = 40
UPSTREAM = "127.98.0.1"
FRONT = "127.98.0.2"


def free_port(address):
    with socket.socket() as s:
        s.bind((address, 0))
        return s.getsockname()[1]


async def echo(reader, writer):
    while data := await reader.read(65536):
        writer.write(data)
        await writer.drain()
    writer.close()


async def wait_listening(address, port, deadline):
    while time.monotonic() < deadline:
        try:
            _, w = await asyncio.open_connection(address, port)
            w.close()
            return
        except OSError:
            await asyncio.sleep(0.05)
    raise TimeoutError("proxy did not listen")


async def scenario(front_port):
    """Opens every connection first, then echoes through all of them; returns round trips."""
    conns = await asyncio.gather(*(asyncio.open_connection(FRONT, front_port) for _ in range(CONNECTIONS)))
    opened = time.monotonic()

    async def exchange(i, reader, writer):
        start = time.monotonic()
        message = b"".join(b"%d:%d;" % (i, k) for k in range(50))
        for k in range(0, len(message), 7):  # many small chunks: order must survive the delays
            writer.write(message[k:k + 7])
        data = b""
        while len(data) < len(message):
            chunk = await reader.read(65536)
            if not chunk:
                break
            data += chunk
        writer.close()
        return data == message, time.monotonic() - start

    results = await asyncio.gather(*(exchange(i, r, w) for i, (r, w) in enumerate(conns)))
    return results, opened


class DelayProxy(unittest.TestCase):
    def test_two_thousand_delayed_connections(self):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if hard < 3 * CONNECTIONS:
            self.skipTest("RLIMIT_NOFILE hard limit %d is too small" % hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        up_port, front_port = free_port(UPSTREAM), free_port(FRONT)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump([[FRONT, front_port, UPSTREAM, up_port, ONE_WAY_MS]], f)
        proxy = subprocess.Popen([sys.executable, os.path.join(HERE, "delayproxy.py"), f.name])
        try:
            results = asyncio.run(self._run(up_port, front_port))
        finally:
            proxy.kill()
            proxy.wait()
            os.unlink(f.name)
        intact = sum(1 for ok, _ in results if ok)
        self.assertEqual(intact, CONNECTIONS)
        # Every echo crosses the proxy twice: at least one full round trip of 2 one-way delays.
        fastest = min(rtt for _, rtt in results)
        self.assertGreaterEqual(fastest, 2 * ONE_WAY_MS / 1000.0 * 0.95)

    async def _run(self, up_port, front_port):
        server = await asyncio.start_server(echo, UPSTREAM, up_port, backlog=4096)
        async with server:
            await wait_listening(FRONT, front_port, time.monotonic() + 10)
            results, _ = await scenario(front_port)
        return results


if __name__ == "__main__":
    unittest.main(verbosity=2)
