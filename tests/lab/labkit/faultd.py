"""Fake servers for the fault hosts that are not sshd: tarpit (accepts TCP, never speaks) and
stall (sends an SSH banner, then never answers the key exchange).

Usage: python3 -m labkit.faultd CONFIG.json --lab-marker=DIR
CONFIG: [[address, port, "tarpit" | "stall"], ...]
"""

import asyncio
import json
import resource
import sys

BANNER = b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"


def handler(mode):
    async def handle(reader, writer):
        try:
            if mode == "stall":
                writer.write(BANNER)
                await writer.drain()
            while await reader.read(65536):  # swallow whatever the client sends, say nothing
                pass
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()
    return handle


async def main(config):
    servers = [await asyncio.start_server(handler(mode), addr, port, backlog=1024, reuse_address=True)
               for addr, port, mode in config]
    await asyncio.gather(*(s.serve_forever() for s in servers))


if __name__ == "__main__":
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    with open(sys.argv[1]) as f:
        asyncio.run(main(json.load(f)))
