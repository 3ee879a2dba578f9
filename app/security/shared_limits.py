"""Rate limits shared by every server process, counted in Redis.

With several processes behind a proxy, buckets kept in each process's memory give an address one
budget per process. When the app has a Redis for limits (`LIMITS_STORE`, by default the message
queue's), the budgets a stranger or a seat could multiply that way (`ratelimit.SHARED`) and the
sign-in backoff are kept there instead. Each take or spend is one Lua script, so two processes
cannot both spend the last token; time is Redis's clock, so the processes' clocks need not agree;
and a key expires when its bucket would be full again, so idle buckets vanish.

The cap of open Socket.IO connections per address is kept there too (`SharedConnections`): a
sorted set per address of every process's connections, each with a lease that its process renews
while the connection is open, so the places of a process killed without closing them come back
once their leases run out.

If Redis does not answer, this process counts in its own memory (a single process's budgets, as
before there was sharing) and tries Redis again RETRY_SECONDS later, saying so once in the log.
Refusing everyone, or answering 500, would lock a class out for a fault they cannot fix; a few
more guesses while Redis is down is the smaller harm, and the message queue that runs on the
same Redis is then down too.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import redis
from flask import Flask

if TYPE_CHECKING:
    from app.security.ratelimit import Limiter, Rate
    from app.security.signin import Backoff

log = logging.getLogger(__name__)

RETRY_SECONDS = 5.0  # after a failure, count in memory this long before asking Redis again
TIMEOUT_SECONDS = 0.5  # a Redis on the same network answers in well under a millisecond

# KEYS[1]: a bucket; ARGV: burst, tokens per second, and 'wait', 'take' or 'spend' (the same
# arithmetic as ratelimit.Limiter). Returns the seconds to wait (0: allowed) as text: Redis
# would truncate a Lua number to an integer.
BUCKET = """
redis.replicate_commands()
local burst, per_second, mode = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local level = burst
local stored = redis.call('HMGET', KEYS[1], 'tokens', 'at')
if stored[1] then
  local elapsed = math.max(0, now - tonumber(stored[2]))
  level = math.min(burst, tonumber(stored[1]) + elapsed * per_second)
end
if mode ~= 'spend' and level < 1 then
  return string.format('%.6f', (1 - level) / per_second)
end
if mode == 'wait' then
  return '0'
end
level = math.max(level - 1, -burst)
redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', level),
  'at', string.format('%.6f', now))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - level) / per_second * 1000) + 1000)
return '0'
"""

# KEYS[1]: an account's wrong passwords in a row; ARGV[1]: how long to remember them (ms).
FAILED = """
redis.replicate_commands()
local clock = redis.call('TIME')
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
redis.call('HSET', KEYS[1], 'at', clock[1] .. '.' .. string.format('%06d', clock[2]))
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return failures
"""

# KEYS[1]: as above. Returns {wrong passwords in a row, seconds since the last one (text)}.
FAILURES = """
local stored = redis.call('HMGET', KEYS[1], 'failures', 'at')
if not stored[1] then
  return {0, '0'}
end
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
return {tonumber(stored[1]), string.format('%.6f', math.max(0, now - tonumber(stored[2])))}
"""

# KEYS[1]: an address's open connections, a sorted set of '<process>:<sid>' scored by the end of
# each one's lease (ms, Redis's clock); ARGV: this connection's member, the cap, the lease (ms).
# Forgets the connections whose lease has run out (their process died without closing them),
# then counts this one unless the address is full. Returns 1 if counted, else 0.
ADMIT = """
redis.replicate_commands()
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local lease = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  return 0
end
redis.call('ZADD', KEYS[1], string.format('%.0f', now + lease), ARGV[1])
if redis.call('PTTL', KEYS[1]) < lease + 1000 then
  redis.call('PEXPIRE', KEYS[1], lease + 1000)
end
return 1
"""

# KEYS[1]: as above; ARGV: the lease (ms), 'renew' or 'add', then members of one process. 'renew'
# extends the lease of those still counted and returns the others (Redis lost them, or they
# closed meanwhile); 'add' counts them again, however full the address.
RENEW = """
redis.replicate_commands()
local clock = redis.call('TIME')
local lease = tonumber(ARGV[1])
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local ends = string.format('%.0f', now + lease)
local missing = {}
for i = 3, #ARGV do
  if ARGV[2] == 'add' or redis.call('ZSCORE', KEYS[1], ARGV[i]) then
    redis.call('ZADD', KEYS[1], ends, ARGV[i])
  else
    missing[#missing + 1] = ARGV[i]
  end
end
if redis.call('PTTL', KEYS[1]) < lease + 1000 then
  redis.call('PEXPIRE', KEYS[1], lease + 1000)
end
return missing
"""


class RedisStore:
    """One app's Redis for limits: the client, the scripts, and what to do when it is down."""

    def __init__(self, url: str, prefix: str) -> None:
        self.url = url
        self.prefix = prefix
        self.client = redis.Redis.from_url(
            url, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS
        )
        self.bucket = self.client.register_script(BUCKET)
        self.failed = self.client.register_script(FAILED)
        self.failures = self.client.register_script(FAILURES)
        self.admission = self.client.register_script(ADMIT)
        self.leases = self.client.register_script(RENEW)
        self._down_until = 0.0
        self._down = False
        self._lock = threading.Lock()

    def key(self, kind: str, name: str) -> str:
        return f"{self.prefix}{kind}:{name}"

    def run(self, script: Any, key: str, *args: Any) -> Any:
        """The script's answer, or None when Redis cannot be asked (then count in memory)."""
        return self.ask(lambda: script(keys=[key], args=list(args)))

    def ask(self, call: Callable[[], Any]) -> Any:
        """`call()`'s answer (it asks Redis), or None when Redis cannot be asked."""
        if self._down and time.monotonic() < self._down_until:
            return None
        try:
            answer = call()
        except redis.RedisError as error:
            with self._lock:
                self._down_until = time.monotonic() + RETRY_SECONDS
                if not self._down:
                    self._down = True
                    log.warning(
                        "Redis for rate limits (%s) failed: %s; counting them in this process "
                        "until it answers",
                        self.url,
                        error,
                    )
            return None
        if self._down:
            with self._lock:
                if self._down:
                    self._down = False
                    log.warning("Redis for rate limits (%s) answers again", self.url)
        return answer

    def delete(self, key: str) -> None:
        with contextlib.suppress(redis.RedisError):  # else it expires by itself
            self.client.delete(key)

    def close(self) -> None:
        self.client.close()


class SharedLimiter:
    """`ratelimit.Limiter`'s buckets, kept in Redis; `fallback` counts while Redis is down."""

    def __init__(self, store: RedisStore, name: str, fallback: Limiter) -> None:
        self.store = store
        self.name = name
        self.fallback = fallback

    def _ask(self, key: str, rate: Rate, mode: str) -> float | None:
        answer = self.store.run(
            self.store.bucket, self.store.key(self.name, key), rate.burst, rate.per_second, mode
        )
        return None if answer is None else float(answer)

    def wait(self, key: str, rate: Rate) -> float:
        """Seconds until `key` may act (0: now), without spending anything."""
        found = self._ask(key, rate, "wait")
        return self.fallback.wait(key, rate) if found is None else found

    def take(self, key: str, rate: Rate) -> float:
        """Spend one token if there is one: 0 when allowed, else the seconds to wait."""
        found = self._ask(key, rate, "take")
        return self.fallback.take(key, rate) if found is None else found

    def spend(self, key: str, rate: Rate) -> None:
        """Spend one token even if that leaves the bucket below zero (a failure already made)."""
        if self._ask(key, rate, "spend") is None:
            self.fallback.spend(key, rate)

    def forget(self, key: str) -> None:
        self.store.delete(self.store.key(self.name, key))
        self.fallback.forget(key)


def account_key(account: str) -> str:
    # Account names are whatever a caller typed (any length, even a lone surrogate from JSON).
    return hashlib.sha256(account.encode("utf-8", "surrogatepass")).hexdigest()[:32]


class SharedConnections:
    """Every process's open Socket.IO connections per address, in Redis.

    Each connection is a member `<process>:<sid>` of its address's sorted set, scored by the end
    of its lease on Redis's clock; its process renews the lease while it is open (`renew`) and
    removes it when it closes. A process that dies without closing its connections leaves them
    counted until their leases end.
    """

    def __init__(self, store: RedisStore, process: str) -> None:
        self.store = store
        self.process = process

    def _key(self, address: str) -> str:
        # Hashed as account names are: one shape of key whatever the address (IPv6, "-").
        return self.store.key("connections", account_key(address))

    def admit(self, address: str, sid: str, cap: int, lease: float) -> bool | None:
        """Count a new connection of `address` unless it has `cap` open on all processes: True
        if counted, False if full, None when Redis cannot be asked (then count in memory)."""
        member = f"{self.process}:{sid}"
        found = self.store.run(self.store.admission, self._key(address), member, cap, _ms(lease))
        return None if found is None else bool(found)

    def release(self, address: str, sid: str) -> None:
        """Stop counting a closed connection (if Redis cannot be asked, its lease runs out)."""
        key, member = self._key(address), f"{self.process}:{sid}"
        self.store.ask(lambda: self.store.client.zrem(key, member))

    def renew(self, open_sids: dict[str, list[str]], lease: float, mode: str = "renew") -> Any:
        """Extend the leases of this process's open connections (address -> sids), one script
        per address in one round trip. Returns the (address, sid) pairs Redis no longer counted
        (`mode` 'renew'), or None when Redis cannot be asked. Mode 'add' counts them again."""
        prefix = f"{self.process}:"

        def call() -> list[Any]:
            with self.store.client.pipeline(transaction=False) as pipe:
                for address, sids in open_sids.items():
                    members = [prefix + sid for sid in sids]
                    self.store.leases(
                        keys=[self._key(address)], args=[_ms(lease), mode, *members], client=pipe
                    )
                return pipe.execute()

        answers = self.store.ask(call)
        if answers is None:
            return None
        return [
            (address, member.decode()[len(prefix) :])
            for address, missing in zip(open_sids, answers, strict=True)
            for member in missing
        ]


def _ms(seconds: float) -> int:
    return max(1, round(seconds * 1000))


def store_url(config: Any) -> str | None:
    """The Redis URL limits are shared through, or None: each process counts its own."""
    chosen = config["LIMITS_STORE"]
    if chosen == "memory":
        return None
    if chosen:
        return chosen
    queue = config["SOCKETIO_MESSAGE_QUEUE"] or ""
    return queue if queue.startswith(("redis://", "rediss://")) else None


def shared_store(app: Flask) -> RedisStore | None:
    """This app's Redis for limits (made on first use), or None when limits stay in memory."""
    found = app.extensions.get("limits_store", False)
    if found is False:
        url = store_url(app.config)
        # Keys carry the deployment's channel: deployments sharing one Redis count apart.
        made = RedisStore(url, f"{app.config['SOCKETIO_CHANNEL']}:limits:") if url else None
        found = app.extensions.setdefault("limits_store", made)
    return found


class SharedBackoff:
    """`signin.Backoff`'s count of wrong passwords per account, kept in Redis; `fallback` counts
    while Redis is down."""

    def __init__(self, store: RedisStore, fallback: Backoff) -> None:
        self.store = store
        self.fallback = fallback

    def _key(self, account: str) -> str:
        return self.store.key("signin_failures", account_key(account))

    def record(self, account: str) -> tuple[int, float]:
        """Wrong passwords in a row, and the seconds since the last one."""
        found = self.store.run(self.store.failures, self._key(account))
        if found is None:
            return self.fallback.record(account)
        return int(found[0]), float(found[1])

    def failed(self, account: str, remember: float) -> None:
        """Count one more wrong password, kept `remember` seconds after it."""
        if self.store.run(self.store.failed, self._key(account), int(remember * 1000)) is None:
            self.fallback.failed(account, remember)

    def cleared(self, account: str) -> None:
        self.store.delete(self._key(account))
        self.fallback.cleared(account)
