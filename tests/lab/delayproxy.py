#!/usr/bin/python3
"""TCP proxy adding a fixed one-way delay in each direction (this kernel has no netem).

Usage: delayproxy.py CONFIG.json [--lab-marker=DIR]
CONFIG: [[listen_address, listen_port, upstream_address, upstream_port, one_way_ms], ...]

Every chunk is delivered D ms after it was read, per direction, with loop.call_later (equal
delays keep the order). Connecting upstream waits 2*D first, like a SYN/SYN-ACK round trip, so
a client sees one RTT of 2*D per exchange. One process serves every listener; it raises its
descriptor limit to the hard limit so that 2,000 concurrent connections (4,000 sockets) fit.
"""

import asyncio
import json
import resource
import socket
import sys


def _nodelay(writer):
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


async def pump(reader, writer, delay):
    loop = asyncio.get_running_loop()

    def deliver(data):
        if not writer.is_closing():
            writer.write(data)

    def finish():
        if not writer.is_closing() and writer.can_write_eof():
            try:
                writer.write_eof()
            except OSError:
                pass

    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            loop.call_later(delay, deliver, data)
    except (ConnectionError, OSError):
        pass
    loop.call_later(delay, finish)


def handler(up_host, up_port, delay):
    async def handle(client_reader, client_writer):
        await asyncio.sleep(2 * delay)
        try:
            up_reader, up_writer = await asyncio.open_connection(up_host, up_port)
        except OSError:
            client_writer.close()
            return
        for w in (client_writer, up_writer):
            _nodelay(w)
        await asyncio.gather(pump(client_reader, up_writer, delay), pump(up_reader, client_writer, delay))
        await asyncio.sleep(delay + 0.05)
        client_writer.close()
        up_writer.close()
    return handle


async def main(routes):
    servers = []
    for lh, lp, uh, up, ms in routes:
        servers.append(await asyncio.start_server(handler(uh, up, ms / 1000.0), lh, lp, backlog=4096,
                                                  reuse_address=True))
    await asyncio.gather(*(s.serve_forever() for s in servers))


if __name__ == "__main__":
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    with open(sys.argv[1]) as f:
        asyncio.run(main(json.load(f)))
