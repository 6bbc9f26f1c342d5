"""The real hasher: argon2id off the event loop, at a lower CPU priority than requests."""

from __future__ import annotations

import os
import threading

from adapters.security.passwords import HASH_NICENESS, LibpassPasswordHasher

CHEAP = {"memory_kib": 19456, "time_cost": 2, "parallelism": 1}


def niceness() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


async def test_hashes_verify_and_run_off_the_event_loop_thread() -> None:
    hasher = LibpassPasswordHasher(**CHEAP)
    stored = await hasher.hash("a long enough passphrase")
    assert stored.startswith("$argon2id$")
    assert await hasher.verify_and_update("a long enough passphrase", stored) == (True, None)
    assert (await hasher.verify_and_update("another passphrase", stored))[0] is False
    hasher.close()


def test_hashing_threads_yield_the_cpu_to_the_event_loop() -> None:
    hasher = LibpassPasswordHasher(**CHEAP)
    mine = niceness()
    theirs = hasher._pool.submit(niceness).result()
    hasher.close()
    assert mine < HASH_NICENESS  # the caller (the event loop's thread) keeps its priority
    assert theirs == max(mine, HASH_NICENESS)
