"""Runs a command on a pseudo-terminal and answers its prompts, as a person at a terminal would.

PTY_ANSWERS (JSON list) holds one answer per prompt (a prompt is output ending in ": "); each is typed
followed by Enter. Prints JSON {"output": everything the terminal showed, "exit": the exit code}.
Used by test/e2e/team.test.ts: what the terminal shows is what a person sees, echo included.
"""
import json
import os
import pty
import select
import sys
import time

answers = json.loads(os.environ.get("PTY_ANSWERS", "[]"))
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])

output = b""


def read(timeout):
    """Reads what the terminal shows for up to `timeout` seconds; False once the command closed it."""
    global output
    ready, _, _ = select.select([fd], [], [], timeout)
    if not ready:
        return True
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        return False
    output += chunk
    return bool(chunk)


for answer in answers:
    deadline = time.time() + 30
    asked = output.count(b": ")
    while output.count(b": ") == asked and time.time() < deadline:
        if not read(0.2):
            break
    os.write(fd, answer.encode("utf-8") + b"\r")
while read(30):
    pass
_, status = os.waitpid(pid, 0)
print(json.dumps({"output": output.decode("utf-8", "replace"), "exit": os.waitstatus_to_exitcode(status)}))
